"""CORS for browser clients: off unless CORS_ALLOWED_ORIGINS lists the origin; a preflight needs no key; a cached
page gets the headers too, whichever layer answers it."""

import pytest
from django.test import Client

from .test_wsgi_hit_path import call

APP = "https://app.example.com"


@pytest.fixture
def cors_on(settings):
    settings.CORS_ALLOWED_ORIGINS = [APP]


def preflight(origin=APP):
    return Client().options(
        "/api/articles/",
        headers={
            "Origin": origin,
            "Access-Control-Request-Method": "GET",
            "Access-Control-Request-Headers": "x-api-key",
        },
    )


def test_a_preflight_is_answered_without_a_key(db, cors_on):
    response = preflight()

    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == APP
    assert "x-api-key" in response["Access-Control-Allow-Headers"]
    assert "GET" in response["Access-Control-Allow-Methods"]


def test_an_origin_not_listed_gets_no_cors_header(db, cors_on):
    assert "Access-Control-Allow-Origin" not in preflight("https://elsewhere.example.com")


def test_cors_is_off_by_default(db, api_key):
    response = Client().get("/api/articles/", headers={"Origin": APP, "X-Api-Key": api_key})

    assert response.status_code == 200
    assert "Access-Control-Allow-Origin" not in response


def test_a_cached_page_gets_the_cors_headers(db, cors_on, api_key):
    client = Client(headers={"Origin": APP, "X-Api-Key": api_key})

    miss, hit = client.get("/api/categories/"), client.get("/api/categories/")

    assert (miss["X-Cache"], hit["X-Cache"]) == ("MISS", "HIT")
    assert hit["Access-Control-Allow-Origin"] == APP
    assert "ETag" in hit["Access-Control-Expose-Headers"]


@pytest.mark.django_db(transaction=True)
def test_a_cached_page_gets_the_cors_headers_under_gunicorns_fast_path(cors_on, api_key):
    answers = [call("GET", "/api/categories/", {"X-Api-Key": api_key, "Origin": APP}) for _ in range(2)]

    assert [headers["X-Cache"] for _, headers, _ in answers] == ["MISS", "HIT"]
    hit_headers = {name.lower(): value for name, value in answers[1][1].items()}
    assert hit_headers["access-control-allow-origin"] == APP
