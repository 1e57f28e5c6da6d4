"""An ingest from the sandbox, over real HTTP, leaves every new article in a story."""

from datetime import UTC, datetime

import pytest

from articles.models import Article
from articles.services.ingest import ingest
from profiling.sandbox.events import CATEGORY_EVENTS
from stories.models import Story

pytestmark = pytest.mark.django_db


def test_an_ingest_leaves_every_new_article_in_a_story(sandbox):
    ingest(sources=["newsapi", "guardian"], categories=["technology", "sports"])
    assert Article.objects.exists()
    assert not Article.objects.filter(story=None).exists()
    assert sum(Story.objects.values_list("article_count", flat=True)) == Article.objects.count()


def test_an_ingest_with_grouping_off_leaves_them_without(sandbox, settings):
    settings.STORIES_GROUPING = False
    ingest(sources=["newsapi"], categories=["technology"])
    assert Article.objects.exists()
    assert not Story.objects.exists()


def test_the_sandbox_tells_each_event_in_several_publishers_words(sandbox):
    # A fixed clock: which events the page holds, and so whether they chain, changes with the time of day.
    sandbox.config.clock = datetime(2026, 11, 29, 12, 0, tzinfo=UTC)
    ingest(sources=["newsapi"], categories=["business"])
    told = Story.objects.filter(publisher_count__gte=3)
    assert told.exists()
    for story in told:
        titles = list(Article.objects.filter(story=story).values_list("title", flat=True))
        assert len(set(titles)) == len(titles)  # each publisher in its own words
        names = [
            {word for word in title.replace(",", " ").replace(":", " ").split() if word.istitle()} for title in titles
        ]
        assert set.intersection(*names)  # all name one organisation: one event


def test_each_event_fits_its_category(sandbox):
    # A bank's merger under Sports would tell a reader of the demo's Sports tab that the grouping is wrong.
    ingest(sources=["newsapi", "guardian"], categories=["sports", "business"])

    for category in ("sports", "business"):
        titles = list(Article.objects.filter(category=category).values_list("title", flat=True))
        assert len(titles) >= 20
        assert [title for title in titles if not _kinds_named(title) <= set(CATEGORY_EVENTS[category][0])] == []
        assert [title for title in titles if not _kinds_named(title)] == []


def _kinds_named(title):
    """The kinds of organisation (of every category) a headline names."""
    return {kind for kinds, _ in CATEGORY_EVENTS.values() for kind in kinds if f" {kind}" in title}
