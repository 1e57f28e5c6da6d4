"""Full-text search with `q`: what it finds, in what order, with which index, and what it refuses."""

from datetime import UTC, datetime

import pytest
from django.contrib.postgres.search import SearchQuery
from django.db import connection

from articles.models import Article

pytestmark = pytest.mark.django_db


def test_q_searches_titles_and_descriptions(api_client, make_articles):
    make_articles(1, title="Orbit of the new satellite", description="Launch day.")
    make_articles(1, title="Budget talks", description="A satellite deal was part of it.")
    make_articles(1, title="Derby report", description="Late goal.")

    results = api_client.get("/api/articles/", {"q": "satellite"}).json()["results"]

    assert sorted(r["title"] for r in results) == ["Budget talks", "Orbit of the new satellite"]


def test_q_ranks_title_matches_first_on_postgresql(postgres, api_client, make_articles):
    make_articles(1, title="Budget talks", description="A satellite deal, and another satellite.")
    make_articles(
        1, title="The satellite launch", description="Launch day.", published_at=datetime(2020, 1, 1, tzinfo=UTC)
    )

    results = api_client.get("/api/articles/", {"q": "satellites"}).json()["results"]  # stemmed: satellite

    assert [r["title"] for r in results] == ["The satellite launch", "Budget talks"]


def test_the_search_uses_the_gin_index_on_postgresql(postgres, make_articles):
    make_articles(3)
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
    plan = Article.objects.filter(search_vector=SearchQuery("story", config="english")).explain()

    assert "article_search_vector" in plan


@pytest.mark.parametrize("q", ["-" * 33, "- " * 32, "x " + "-" * 200, "--" * 60 + "satellite"])
def test_runs_of_operators_mean_nothing_and_fail_nothing(api_client, make_articles, q):
    make_articles(1, title="The satellite launch")

    response = api_client.get("/api/articles/", {"q": q})

    assert response.status_code == 200


def test_negation_still_works_on_postgresql(postgres, api_client, make_articles):
    make_articles(1, title="The satellite launch")
    make_articles(1, title="The satellite budget")

    results = api_client.get("/api/articles/", {"q": "satellite ---budget"}).json()["results"]

    assert [r["title"] for r in results] == ["The satellite launch"]


@pytest.mark.parametrize(
    ("q", "message"),
    [
        ("x" * 257, "At most 256 characters, not 257."),
        (" ".join(["word"] * 33), "At most 32 words, not 33."),
    ],
)
def test_a_q_too_long_is_a_400_saying_the_bounds(api_client, q, message):
    response = api_client.get("/api/articles/", {"q": q})

    assert response.status_code == 400
    assert response.json() == {"detail": "Invalid query parameter: q.", "errors": {"q": [message]}}


def test_the_schema_states_the_bounds_of_q(api_client):
    (q,) = [
        p
        for p in api_client.get("/api/schema/").json()["paths"]["/api/articles/"]["get"]["parameters"]
        if p["name"] == "q"
    ]

    assert q["schema"]["maxLength"] == 256
    assert "32 words" in q["description"]


def test_q_rejects_a_nul_character(api_client):
    response = api_client.get("/api/articles/", {"q": "climate\x00change"})

    assert response.status_code == 400
    assert response.json()["errors"] == {"q": ["Must not contain a NUL character."]}
