"""RateLimit-Limit, -Remaining and -Reset on every answer to a good key: computed, cached, conditional or refused."""

import pytest
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db


def limits(response):
    return [response.headers.get(f"RateLimit-{name}") for name in ("Limit", "Remaining")]


def test_each_answer_says_how_many_requests_are_left(api_client, rate_limit, make_articles):
    rate_limit(4)
    make_articles(2)

    miss = api_client.get("/api/articles/")
    hit = api_client.get("/api/articles/")
    not_modified = api_client.get("/api/articles/", HTTP_IF_NONE_MATCH=hit.headers["ETag"])
    sources = api_client.get("/api/sources/")
    over = api_client.get("/api/articles/")

    assert (miss.headers["X-Cache"], hit.headers["X-Cache"], not_modified.status_code) == ("MISS", "HIT", 304)
    assert [limits(r) for r in (miss, hit, not_modified, sources, over)] == [
        ["4", "3"],
        ["4", "2"],
        ["4", "1"],
        ["4", "0"],
        ["4", "0"],
    ]
    assert over.status_code == 429
    assert 0 < int(over.headers["RateLimit-Reset"]) <= 60


def test_a_stored_page_does_not_keep_the_first_clients_figures(api_key, rate_limit, make_articles):
    from rest_framework_api_key.models import APIKey

    rate_limit(10)
    make_articles(1)
    other = APIClient(headers={"X-Api-Key": APIKey.objects.create_key(name="other")[1]})
    first = APIClient(headers={"X-Api-Key": api_key})
    for _ in range(3):
        first.get("/api/articles/")

    hit = other.get("/api/articles/")

    assert hit.headers["X-Cache"] == "HIT"
    assert limits(hit) == ["10", "9"]


def test_no_rate_limit_headers_without_a_good_key(db):
    assert "RateLimit-Limit" not in APIClient().get("/api/articles/").headers
    assert "RateLimit-Limit" not in APIClient(headers={"X-Api-Key": "made.up"}).get("/api/articles/").headers


def test_the_schema_declares_them(db):
    schema = APIClient().get("/api/schema/", HTTP_ACCEPT="application/json").json()
    answers = schema["paths"]["/api/articles/"]["get"]["responses"]

    for status in ("200", "304", "429"):
        assert {"RateLimit-Limit", "RateLimit-Remaining", "RateLimit-Reset"} <= set(answers[status]["headers"])
