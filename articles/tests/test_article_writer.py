"""The writer of articles: what an upsert creates, updates and leaves alone, against the real database."""

from dataclasses import replace

import pytest

from articles.models import Article
from articles.services.article_writer import upsert_articles
from articles.upstreams import guardian, newsapi

pytestmark = pytest.mark.django_db


def test_a_story_filed_under_two_categories_keeps_the_first(sandbox):
    story = newsapi.normalise(sandbox.newsapi_story("technology", 1), category="technology")
    upsert_articles([story])

    counts = upsert_articles([replace(story, category="general")])

    assert (counts.created, counts.updated, counts.unchanged) == (0, 0, 1)
    assert Article.objects.get().category == "technology"


def test_the_guardian_takes_over_a_story_newsapi_stored_first(sandbox):
    index = 5
    upsert_articles([newsapi.normalise(sandbox.newsapi_story("technology", index), category="technology")])

    counts = upsert_articles([guardian.normalise(sandbox.guardian_story("technology", index), category="technology")])

    assert (counts.created, counts.updated) == (0, 1)
    assert Article.objects.get().source == "guardian"
    again = upsert_articles([newsapi.normalise(sandbox.newsapi_story("technology", index), category="technology")])
    assert (again.updated, again.unchanged) == (0, 1)


def test_upsert_counts_duplicates_within_a_batch_once(sandbox):
    article = newsapi.normalise(sandbox.newsapi_story("technology", 1), category="technology")

    counts = upsert_articles([article, article])

    assert (counts.created, counts.updated, counts.unchanged) == (1, 0, 1)
    assert Article.objects.count() == 1
