"""Conditional and other requests of the page cache: ETag and 304, HEAD, OPTIONS, and the preconditions of writes
(ignored: these endpoints take none)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from .test_page_cache import READ_PATHS

pytestmark = pytest.mark.django_db


def test_a_poll_with_the_etag_gets_a_304_without_a_body_or_a_query(backend, api_client, make_articles):
    make_articles(2)
    etag = api_client.get(READ_PATHS[0]).headers["ETag"]

    with CaptureQueriesContext(connection) as queries:
        polled = api_client.get(READ_PATHS[0], HTTP_IF_NONE_MATCH=etag)

    assert polled.status_code == 304
    assert polled.content == b""
    assert (polled.headers["ETag"], polled.headers["X-Cache"]) == (etag, "HIT")
    assert len(queries) == 0
    assert api_client.get(READ_PATHS[0], HTTP_IF_NONE_MATCH='"another"').status_code == 200


def test_head_is_served_from_the_page_too(backend, api_client):
    api_client.get(READ_PATHS[1])

    head = api_client.head(READ_PATHS[1])

    assert (head.status_code, head.headers["X-Cache"], head.content) == (200, "HIT", b"")


def test_if_match_is_ignored_on_a_read(backend, api_client):
    etag = api_client.get(READ_PATHS[1]).headers["ETag"]

    answers = [api_client.get(READ_PATHS[1], HTTP_IF_MATCH='"another"') for _ in range(2)]

    assert [(r.status_code, r.headers["ETag"]) for r in answers] == [(200, etag), (200, etag)]


def test_options_is_not_cached(backend, api_client):
    options = api_client.options(READ_PATHS[1], HTTP_IF_NONE_MATCH="*")

    assert options.status_code == 200
    assert "ETag" not in options.headers
    assert "X-Cache" not in options.headers


@pytest.mark.parametrize(
    "precondition",
    [{"HTTP_IF_MATCH": '"another"'}, {"HTTP_IF_UNMODIFIED_SINCE": "Sun, 29 Nov 2026 12:00:00 GMT"}],
)
def test_write_preconditions_beside_if_none_match_are_ignored_too(backend, api_client, precondition):
    etag = api_client.get(READ_PATHS[1]).headers["ETag"]

    polled = api_client.get(READ_PATHS[1], HTTP_IF_NONE_MATCH=etag, **precondition)

    assert polled.status_code == 304


@pytest.mark.parametrize("state", ["MISS", "HIT"])
def test_a_304_keeps_the_security_headers(backend, api_client, settings, state):
    settings.SECURE_HSTS_SECONDS = 3600
    if state == "HIT":
        api_client.get(READ_PATHS[1], secure=True)
    etag = f'"{"0" * 32}"' if state == "MISS" else api_client.get(READ_PATHS[1], secure=True).headers["ETag"]
    settings.CACHE_TTL = 300 if state == "HIT" else 0  # a miss: computed, then compared

    polled = api_client.get(READ_PATHS[1], secure=True, HTTP_IF_NONE_MATCH=etag if state == "HIT" else "*")

    assert (polled.status_code, polled.headers["X-Cache"]) == (304, state)
    assert polled.headers["Strict-Transport-Security"] == "max-age=3600"
    assert polled.headers["X-Frame-Options"] == "DENY"
    assert polled.headers["X-Content-Type-Options"] == "nosniff"
