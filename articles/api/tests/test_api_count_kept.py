"""A list's count without counting every row: kept counts (exact) where the filters allow, an estimate said to be
one past a bound elsewhere (articles/counts.py); offsets capped, with the way further."""

from collections import Counter

import pytest

from articles import counts
from articles.models import Article, Category
from articles.services.ingest import ingest

pytestmark = pytest.mark.django_db


def count_of(api_client, **params):
    body = api_client.get("/api/articles/", params).json()
    return body["count"], body["count_is_estimate"]


def test_it_counts_exactly_by_category_source_and_publisher(api_client, make_articles):
    make_articles(3, source="newsapi", source_name="BBC News", category="business")
    make_articles(2, source="newsapi", source_name="Reuters", category="technology")
    make_articles(4, source="guardian", source_name="The Guardian", category="business")

    assert count_of(api_client) == (9, False)
    assert count_of(api_client, category="business") == (7, False)
    assert count_of(api_client, source="newsapi", category="business,technology") == (5, False)
    assert count_of(api_client, publisher="Reuters,The Guardian") == (6, False)
    assert count_of(api_client, exclude_publisher="BBC News", ordering="published_at") == (6, False)


def test_the_counts_follow_deletes_and_changes_of_category(api_client, make_articles, postgres):
    make_articles(3, category="business", source_name="BBC News")
    make_articles(2, category="health", source_name="BBC News")

    Article.objects.filter(category="health").delete()  # as the admin's bulk delete does
    Article.objects.filter(pk=Article.objects.first().pk).update(category="science")

    assert count_of(api_client, category="business") == (2, False)
    assert count_of(api_client, category="science") == (1, False)
    assert api_client.get("/api/categories/").json()[3] == {"category": "health", "count": 0}


def test_it_counts_other_filters_exactly_up_to_a_bound(api_client, make_articles, monkeypatch):
    make_articles(3, title="Harbour storm")
    monkeypatch.setattr(counts, "EXACT_UP_TO", 3)

    assert count_of(api_client, q="harbour", ordering="-published_at") == (3, False)


def test_past_the_bound_the_count_is_the_planners_estimate_and_says_so(
    api_client, make_articles, postgres, monkeypatch
):
    make_articles(5, title="Harbour storm")
    monkeypatch.setattr(counts, "EXACT_UP_TO", 3)

    count, is_estimate = count_of(api_client, q="harbour", ordering="-published_at")

    assert is_estimate is True
    assert count >= 4


def test_an_offset_past_the_bound_is_a_400_that_points_to_the_cursor(api_client):
    response = api_client.get("/api/articles/", {"offset": "10001"})

    assert response.status_code == 400
    assert response.json()["errors"] == {
        "offset": [
            "At most 10,000, not 10001: to go further, page by cursor (leave offset out and follow each page's "
            "next link)."
        ]
    }


def test_a_page_by_offset_links_the_next_only_when_there_is_one(api_client, make_articles):
    make_articles(3)

    assert api_client.get("/api/articles/", {"offset": "1", "limit": "1"}).json()["next"] is not None
    assert api_client.get("/api/articles/", {"offset": "2", "limit": "1"}).json()["next"] is None


def test_the_counts_follow_the_ingests_copy_upserts(sandbox, postgres, api_client):
    ingest(sources=["newsapi", "guardian"], categories=["business", "technology"])
    ingest(sources=["newsapi", "guardian"], categories=["business", "technology"], full=True)  # none counted twice

    expected = Counter(Article.objects.values_list("category", flat=True))
    assert {row["category"]: row["count"] for row in api_client.get("/api/categories/").json()} == {
        category: expected[category] for category in Category.values
    }
    assert count_of(api_client, category="business") == (expected["business"], False)
