"""GET /api/stories/ at scale: its count exact up to a bound and an estimate past it, said so; top stories first."""

from datetime import timedelta

import pytest
from django.utils import timezone

from articles import counts
from stories.models import Story

pytestmark = pytest.mark.django_db


def make_stories(*figures):
    """Stories, each (publisher_count, hours since its last article)."""
    now = timezone.now()
    return [
        Story.objects.create(
            title=f"story {n}",
            publisher_count=publishers,
            article_count=publishers,
            first_published_at=now - timedelta(hours=hours),
            last_published_at=now - timedelta(hours=hours),
        )
        for n, (publishers, hours) in enumerate(figures)
    ]


def test_the_count_is_exact_and_says_so(api_client):
    make_stories((1, 1), (2, 200), (3, 300))

    body = api_client.get("/api/stories/").json()

    assert (body["count"], body["count_is_estimate"]) == (3, False)


def test_past_the_bound_the_count_is_an_estimate_that_says_so(postgres, api_client, monkeypatch):
    make_stories((1, 1), (2, 200), (3, 300))
    monkeypatch.setattr(counts, "EXACT_UP_TO", 1)

    first = api_client.get("/api/stories/", {"limit": 2}).json()
    last = api_client.get("/api/stories/", {"limit": 2, "offset": 2}).json()

    assert (first["count_is_estimate"], last["count_is_estimate"]) == (True, True)
    assert first["count"] >= 2
    assert first["next"] is not None  # told by the rows, not the estimate
    assert last["next"] is None
    assert len(first["results"]) + len(last["results"]) == 3


def test_the_window_s_stories_come_first_then_the_most_told_on_every_page(api_client):
    recent_one, old_many, recent_two, old_few = make_stories((1, 1), (9, 200), (2, 2), (3, 300))

    pages = [api_client.get("/api/stories/", {"limit": 1, "offset": n}).json()["results"] for n in range(5)]
    whole = api_client.get("/api/stories/").json()["results"]

    expected = [recent_two.id, recent_one.id, old_many.id, old_few.id]
    assert [story["id"] for page in pages for story in page] == expected
    assert [story["id"] for story in whole] == expected


def test_the_schema_declares_count_is_estimate(client):
    operation = client.get("/api/schema/").json()["paths"]["/api/stories/"]["get"]
    page = operation["responses"]["200"]["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[-1]
    properties = client.get("/api/schema/").json()["components"]["schemas"][page]["properties"]

    assert properties["count_is_estimate"]["type"] == "boolean"
