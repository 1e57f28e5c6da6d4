"""q over the stored vector (migration 0007): kept on every write, ranked over the newest matches only."""

from datetime import UTC, datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

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


def test_the_count_of_a_search_is_the_matches_found_exactly(postgres, api_client, make_articles, monkeypatch):
    make_articles(3, title="Satellite launch")
    make_articles(2, title="Budget talks")
    monkeypatch.setattr(selectors, "RANKED_MATCHES", 2)

    capped = api_client.get("/api/articles/", {"q": "satellite"}).json()
    below_the_cap = api_client.get("/api/articles/", {"q": "budget", "limit": 1}).json()
    past_the_end = api_client.get("/api/articles/", {"q": "budget", "offset": 5}).json()

    assert (capped["count"], capped["count_is_estimate"], len(capped["results"])) == (2, False, 2)
    assert (below_the_cap["count"], below_the_cap["count_is_estimate"], len(below_the_cap["results"])) == (2, False, 1)
    assert (past_the_end["count"], past_the_end["count_is_estimate"], past_the_end["results"]) == (2, False, [])


def test_a_ranked_search_is_one_query_that_leaves_the_vector_in_the_database(postgres, api_client, make_articles):
    make_articles(3, title="Satellite launch")

    with CaptureQueriesContext(connection) as queries:
        response = api_client.get("/api/articles/", {"q": "satellite"})

    searches = [query["sql"] for query in queries.captured_queries if "@@" in query["sql"]]
    assert response.json()["count"] == 3
    assert len(searches) == 1
    selected = searches[0].split(" FROM ")[0]  # the outer SELECT's list: what travels back to the server
    assert '"search_vector" AS' not in selected  # ranked by it in the database, not sent
