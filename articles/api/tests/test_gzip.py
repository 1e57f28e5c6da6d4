"""gzip for clients that take it: misses compressed by GZipMiddleware, hits served from the page's stored gzip, in
the middleware and in gunicorn's fast path alike; a client that does not take gzip gets the plain page."""

import gzip

import pytest
from django.test import Client

from .test_wsgi_hit_path import call

PATH = "/api/articles/?limit=50"


@pytest.fixture
def articles(make_articles):
    make_articles(50)


def test_a_miss_and_a_hit_are_gzipped_for_a_client_that_takes_it(db, articles, api_key):
    client = Client(headers={"X-Api-Key": api_key, "Accept-Encoding": "gzip, deflate"})
    plain = Client(headers={"X-Api-Key": api_key}).get(PATH)  # a miss: the page is stored

    hit = client.get(PATH)

    assert hit["X-Cache"] == "HIT"
    assert hit["Content-Encoding"] == "gzip"
    assert gzip.decompress(hit.content) == plain.content
    assert int(hit["Content-Length"]) == len(hit.content) < len(plain.content) / 3
    assert hit["ETag"] == "W/" + plain["ETag"]
    assert "Accept-Encoding" in hit["Vary"]


def test_a_miss_is_gzipped_too(db, articles, api_key):
    miss = Client(headers={"X-Api-Key": api_key, "Accept-Encoding": "gzip"}).get(PATH)

    assert (miss["X-Cache"], miss["Content-Encoding"]) == ("MISS", "gzip")
    assert gzip.decompress(miss.content).startswith(b'{"count":50,')


def test_a_client_that_does_not_take_gzip_gets_the_plain_page(db, articles, api_key):
    Client(headers={"X-Api-Key": api_key, "Accept-Encoding": "gzip"}).get(PATH)

    hit = Client(headers={"X-Api-Key": api_key, "Accept-Encoding": "identity"}).get(PATH)

    assert hit["X-Cache"] == "HIT"
    assert not hit.has_header("Content-Encoding")
    assert hit.content.startswith(b'{"count":50,')
    assert "Accept-Encoding" in hit["Vary"]


def test_a_poll_with_the_gzipped_answers_etag_is_a_304(db, articles, api_key):
    client = Client(headers={"X-Api-Key": api_key, "Accept-Encoding": "gzip"})
    etag = client.get(PATH)["ETag"]

    poll = client.get(PATH, headers={"If-None-Match": etag})

    assert etag.startswith("W/")
    assert poll.status_code == 304


@pytest.mark.django_db(transaction=True)
def test_gunicorns_fast_path_answers_the_stored_gzip(articles, api_key):
    (_, plain_headers, plain), (status, headers, body) = (
        call("GET", "/api/categories/", {"X-Api-Key": api_key, "Accept-Encoding": encoding})
        for encoding in ("identity", "gzip")
    )

    assert (status, headers["X-Cache"], headers["Content-Encoding"]) == ("200 OK", "HIT", "gzip")
    assert gzip.decompress(body) == plain
    assert headers["Content-Length"] == str(len(body))
    assert "Content-Encoding" not in plain_headers
