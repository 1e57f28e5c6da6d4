"""A run's grouping index, kept in memory between its batches (stories.planning.grouping_run): each batch committed
on its own, as an ingest commits them, hence transactional tests."""

import pytest
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext

from articles.models import Article
from articles.services.article_writer import upsert_articles
from articles.services.runs import ingest_lock
from stories.models import Story, StoryTerm
from stories.planning import grouping_run
from stories.tests.test_services import GOX, article, story_of

pytestmark = pytest.mark.django_db(transaction=True)

CHIQUITA = ["Chiquita agrees to buy Fyffes in banana deal", "Chiquita and Fyffes to merge, creating a banana giant"]


def story_of_url(number):
    return Article.objects.get(url=f"https://news.example.com/{number}").story


def batch(*articles):
    with transaction.atomic():
        upsert_articles(list(articles))


def refused_batch(*articles):
    with transaction.atomic():
        upsert_articles(list(articles))
        raise IntegrityError("refused at the commit, as a deferred constraint would be")


def test_a_story_of_an_earlier_batch_is_joined_before_its_terms_are_written():
    with ingest_lock():
        batch(article(GOX[0][0], "Reuters", minutes=0))
        assert not StoryTerm.objects.exists()  # written when the run ends
        batch(article(GOX[1][0], "BBC News", minutes=1))
        assert story_of(GOX[1][0]) == story_of(GOX[0][0])
    gox = story_of(GOX[0][0])
    assert gox.article_count == 2
    assert not Story.objects.filter(terms_stale=True).exists()
    assert set(StoryTerm.objects.filter(story=gox).values_list("term", flat=True)) == set(gox.centroid)


def test_a_later_batch_reads_no_index_terms_it_has_already_loaded():
    with grouping_run():
        batch(article(GOX[0][0], minutes=0, number=1))
        with CaptureQueriesContext(connection) as queries:
            batch(article(GOX[0][0], minutes=2, number=2))  # the same words, from another publisher
    assert story_of_url(2) == story_of_url(1)
    assert not [query for query in queries if "stories_storyterm" in query["sql"]]


def test_the_terms_a_killed_run_left_unwritten_are_written_by_the_next():
    with grouping_run():
        batch(article(GOX[0][0], minutes=0))
    Story.objects.update(terms_stale=True)  # as a run killed before its end leaves them
    StoryTerm.objects.all().delete()
    with grouping_run():  # the next run, as it starts
        assert StoryTerm.objects.filter(term="gox").exists()
        assert not Story.objects.filter(terms_stale=True).exists()


def test_an_article_deleted_during_a_run_is_not_counted_by_its_next_batch():
    with grouping_run():
        batch(article(GOX[0][0], "Reuters", minutes=0), article(GOX[1][0], "BBC News", minutes=1))
        Article.objects.get(title=GOX[0][0]).delete()  # in the admin, while the run goes on
        batch(article(GOX[2][0], "Reuters", minutes=2))
    gox = story_of(GOX[2][0])
    assert gox == story_of(GOX[1][0])
    assert (gox.article_count, gox.publishers) == (2, ["BBC News", "Reuters"])
    assert "protection" not in gox.centroid  # the deleted article's word


def test_a_story_deleted_during_a_run_is_not_joined_by_its_next_batch():
    with grouping_run():
        batch(article(GOX[0][0], "Reuters", minutes=0))
        Article.objects.all().delete()  # its story goes with its last article
        batch(article(GOX[1][0], "BBC News", minutes=1))
    assert Article.objects.get().story.article_count == 1
    assert Story.objects.count() == 1


def test_a_batch_rolled_back_during_a_run_leaves_nothing_in_the_next():
    with grouping_run():
        batch(article(GOX[0][0], minutes=0))
        with pytest.raises(IntegrityError):
            refused_batch(article(CHIQUITA[0], minutes=1), article(GOX[1][0], minutes=2))
        batch(article(CHIQUITA[1], minutes=3), article(GOX[1][0], minutes=4))
    assert story_of(GOX[1][0]) == story_of(GOX[0][0])
    assert story_of(GOX[0][0]).article_count == 2
    assert story_of(CHIQUITA[1]).article_count == 1
    assert Story.objects.count() == 2
