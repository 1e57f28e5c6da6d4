"""The article list's order is total: articles published at the same moment come by id, the highest first,
so that paging through them never shows one twice or skips one (README, "GET /api/articles/")."""

from datetime import UTC, datetime

import pytest
from django.utils import timezone

from articles.models import Article

pytestmark = pytest.mark.django_db

MOMENTS = [datetime(2026, 11, 23, 12, 0, tzinfo=UTC), datetime(2026, 11, 23, 9, 0, tzinfo=UTC)]


@pytest.fixture
def tied_articles():
    """Two moments, 30 articles published at each, stored in an order that is neither their ids' nor its reverse
    (a database returns ties in the order it finds them); the ids as the list should give them."""
    shuffled = [n * 37 % 61 for n in range(1, 61)]  # 1 to 60, stirred: 37, 13, 50, 26, 2, ...
    rows = [(number, MOMENTS[number % 2]) for number in shuffled]
    now = timezone.now()
    Article.objects.bulk_create(
        Article(
            id=number,
            url=f"https://news.example.com/tied/{number}",
            source="newsapi",
            title=f"Story {number}",
            category="technology",
            published_at=published_at,
            first_seen_at=now,
            last_updated_at=now,
        )
        for number, published_at in rows
    )
    return [number for number, _ in sorted(rows, key=lambda row: (row[1], row[0]), reverse=True)]


# A filter that the database serves from another index than the list's own: there, ties are in the order of the
# rows (SQLite, PostgreSQL), where the list's own index would have put them by id even without the tie-break.
@pytest.mark.parametrize("narrowed_by", [{}, {"category": "technology"}, {"source": "newsapi"}])
@pytest.mark.parametrize("limit", [4, 25])
def test_pages_of_articles_published_together_come_by_id_without_overlap_or_gap(
    api_client, tied_articles, narrowed_by, limit
):
    listed = []
    for offset in range(0, len(tied_articles), limit):
        response = api_client.get("/api/articles/", {**narrowed_by, "limit": limit, "offset": offset})
        assert response.status_code == 200
        listed += [article["id"] for article in response.json()["results"]]

    assert len(set(listed)) == len(listed), "a page repeated an article of an earlier one"
    assert listed == tied_articles
