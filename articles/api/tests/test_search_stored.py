"""q over the stored vector (migration 0007): kept on every write, ranked over the newest matches only."""

from datetime import UTC, datetime

import pytest

from articles import selectors
from articles.models import Article

pytestmark = pytest.mark.django_db


def titles(api_client, **params):
    return [article["title"] for article in api_client.get("/api/articles/", params).json()["results"]]


def test_an_edited_title_is_found_by_its_new_words(postgres, api_client, make_articles):
    (article,) = make_articles(1, title="Harbour storm")

    Article.objects.filter(pk=article.pk).update(title="Galaxy survey")

    assert titles(api_client, q="galaxy") == ["Galaxy survey"]
    assert titles(api_client, q="harbour") == []


def test_best_match_first_ranks_the_newest_matches_only(postgres, api_client, make_articles, monkeypatch):
    make_articles(1, title="Budget talks", description="A satellite deal.")  # the newest
    make_articles(1, title="Satellite launch", published_at=datetime(2026, 1, 1, tzinfo=UTC))
    make_articles(1, title="Satellite satellite", published_at=datetime(2025, 1, 1, tzinfo=UTC))
    monkeypatch.setattr(selectors, "RANKED_MATCHES", 2)

    assert titles(api_client, q="satellite") == ["Satellite launch", "Budget talks"]
    assert len(titles(api_client, q="satellite", ordering="-published_at")) == 3


def test_the_newest_matches_are_those_the_other_filters_keep(postgres, api_client, make_articles, monkeypatch):
    make_articles(2, title="Satellite launch")
    make_articles(1, title="Satellite archive", published_at=datetime(2020, 1, 1, tzinfo=UTC))
    monkeypatch.setattr(selectors, "RANKED_MATCHES", 1)

    assert titles(api_client, q="satellite", published_before="2021-01-01") == ["Satellite archive"]
