"""An ingest from the sandbox, over real HTTP, leaves every new article in a story."""

import pytest

from articles.models import Article
from articles.services.ingest import ingest
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
