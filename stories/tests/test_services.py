from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles.models import Article
from articles.services.article_writer import upsert_articles
from articles.upstreams.items import ArticleIn
from stories import planning
from stories.models import Story, StoryTerm
from stories.services import group_articles

NOON = datetime(2026, 11, 23, 12, tzinfo=UTC)
GOX = [
    ("Bitcoin exchange Mt. Gox files for US bankruptcy protection", "Reuters"),
    ("Mt. Gox files for US bankruptcy to halt class action", "BBC News"),
    ("Bitcoin Exchange Mt. Gox Seeks US Bankruptcy Relief", "Reuters"),
]


def article(title, publisher="Example News", *, minutes=0, number=None, **fields):
    number = number if number is not None else abs(hash((title, publisher, minutes)))
    made = ArticleIn(
        url=f"https://news.example.com/{number}",
        source="newsapi",
        source_name=publisher,
        external_id="",
        title=title,
        description="",
        author="",
        image_url="",
        category="business",
        published_at=NOON + timedelta(minutes=minutes),
    )
    return replace(made, **fields)


def story_of(title):
    return Article.objects.get(title=title).story


@pytest.mark.django_db
def test_it_groups_each_upserted_article_into_a_story():
    upsert_articles([article(title, publisher, minutes=n) for n, (title, publisher) in enumerate(GOX)])
    upsert_articles([article("Pizza chain Sbarro closes its restaurants in Ohio", minutes=5), article("Live updates")])
    assert not Article.objects.filter(story=None).exists()
    gox = story_of(GOX[0][0])
    assert story_of(GOX[1][0]) == story_of(GOX[2][0]) == gox
    assert (gox.article_count, gox.publisher_count, gox.publishers) == (3, 2, ["Reuters", "BBC News"])
    assert (gox.title, gox.lead.title, gox.category) == (GOX[0][0], GOX[0][0], "business")
    assert (gox.first_published_at, gox.last_published_at) == (NOON, NOON + timedelta(minutes=2))
    assert Story.objects.count() == 3
    assert StoryTerm.objects.filter(story=gox, term="gox").exists()


@pytest.mark.django_db
def test_it_finds_a_story_of_an_earlier_ingest_through_its_terms():
    upsert_articles([article(GOX[0][0], minutes=0)])
    upsert_articles([article(GOX[1][0], minutes=60)])
    assert story_of(GOX[0][0]) == story_of(GOX[1][0])


@pytest.mark.django_db
def test_it_never_joins_a_story_outside_the_window(settings):
    settings.STORIES_WINDOW_HOURS = 1
    upsert_articles([article(GOX[0][0], minutes=0)])
    upsert_articles([article(GOX[1][0], minutes=180)])
    assert story_of(GOX[0][0]) != story_of(GOX[1][0])


@pytest.mark.django_db
def test_it_leaves_articles_without_a_story_when_grouping_is_off(settings):
    settings.STORIES_GROUPING = False
    upsert_articles([article(GOX[0][0])])
    assert story_of(GOX[0][0]) is None
    assert group_articles(Article.objects.all()) == 1
    assert story_of(GOX[0][0]) is not None


@pytest.mark.django_db
def test_its_queries_do_not_grow_with_the_stored_stories(settings):
    def stored_long_ago(n, first):  # sharing words with the probes, ten days before them: outside the window
        upsert_articles(
            [
                article(f"Company{i} agrees to buy Fyffes in banana deal", minutes=-14_400, number=first + i)
                for i in range(n)
            ]
        )

    def queries_to_group(title):
        settings.STORIES_GROUPING = False
        upsert_articles([article(title)])
        settings.STORIES_GROUPING = True
        with CaptureQueriesContext(connection) as captured:
            group_articles(Article.objects.filter(story=None))
        return len(captured.captured_queries)

    stored_long_ago(10, 1000)
    few = queries_to_group(GOX[0][0])
    stored_long_ago(300, 2000)
    assert Article.objects.count() > 300
    assert queries_to_group("Chiquita agrees to buy Fyffes in banana deal") == few


@pytest.mark.django_db
def test_it_loads_only_the_stories_of_the_window_as_candidates():
    upsert_articles([article(GOX[0][0], minutes=-14_400), article(GOX[1][0], minutes=10)])
    index = planning.load_index(
        [{"gox": 1.0, "bankruptcy": 1.0}], NOON - timedelta(hours=72), NOON + timedelta(hours=72)
    )
    assert [story.key for story in index.stories] == [story_of(GOX[1][0]).pk]
