"""The page cache as clients meet it: X-Cache, ETag and 304, keys and limits on every request, fresh data at once."""

import time

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient
from rest_framework_api_key.models import APIKey

from articles.api.cachestore import store
from articles.api.keys import RateWindow, client_for, forget_key, hashed
from articles.services.ingest import ingest

pytestmark = pytest.mark.django_db

READ_PATHS = ["/api/articles/?category=technology&limit=5", "/api/sources/", "/api/categories/"]
# A hit is answered before the security middleware runs: it must still carry its headers, stored with the page.
HIT_HEADERS = (
    "Content-Type",
    "Content-Length",
    "ETag",
    "Cache-Control",
    "Allow",
    "X-Frame-Options",
    "X-Content-Type-Options",
    "Referrer-Policy",
    "Cross-Origin-Opener-Policy",
)


def test_a_miss_then_a_hit_with_the_same_bytes_and_no_query(backend, api_client, make_articles):
    make_articles(3)

    miss = api_client.get(READ_PATHS[0])
    with CaptureQueriesContext(connection) as queries:
        hit = api_client.get(READ_PATHS[0])

    assert (miss.status_code, hit.status_code) == (200, 200)
    assert (miss.headers["X-Cache"], hit.headers["X-Cache"]) == ("MISS", "HIT")
    assert hit.content == miss.content
    assert len(miss.json()["results"]) == 3
    for header in HIT_HEADERS:
        assert hit.headers[header] == miss.headers[header], header
    assert len(queries) == 0


@pytest.mark.parametrize("path", [*READ_PATHS[1:], "detail"])
def test_every_read_endpoint_is_cached(backend, api_client, make_articles, path):
    (article,) = make_articles(1)
    path = f"/api/articles/{article.id}/" if path == "detail" else path

    assert [api_client.get(path).headers["X-Cache"] for _ in range(2)] == ["MISS", "HIT"]


def test_the_order_of_parameters_does_not_matter_but_their_values_do(backend, api_client, make_articles):
    make_articles(2)

    first = api_client.get("/api/articles/?category=technology&limit=5")
    reordered = api_client.get("/api/articles/?limit=5&category=technology")
    other = api_client.get("/api/articles/?limit=4&category=technology")

    assert [r.headers["X-Cache"] for r in (first, reordered, other)] == ["MISS", "HIT", "MISS"]


def test_pages_naming_another_host_are_kept_apart(backend, api_client, make_articles, settings):
    settings.ALLOWED_HOSTS = ["one.example", "two.example"]
    make_articles(3)

    one = api_client.get("/api/articles/?limit=1", HTTP_HOST="one.example")
    two = api_client.get("/api/articles/?limit=1", HTTP_HOST="two.example")

    assert two.headers["X-Cache"] == "MISS"
    assert one.json()["next"].startswith("http://one.example/")
    assert two.json()["next"].startswith("http://two.example/")


def test_the_page_is_shared_between_keys_but_never_given_without_a_good_key(backend, api_client, make_articles):
    make_articles(2)
    api_client.get(READ_PATHS[0])
    other_key = APIKey.objects.create_key(name="other")[1]

    shared = APIClient(headers={"X-Api-Key": other_key}).get(READ_PATHS[0])
    without = APIClient().get(READ_PATHS[0])
    wrong = APIClient(headers={"X-Api-Key": other_key + "x"}).get(READ_PATHS[0])
    polled_without = APIClient().get(READ_PATHS[0], HTTP_IF_NONE_MATCH=shared.headers["ETag"])

    assert shared.headers["X-Cache"] == "HIT"
    assert (without.status_code, wrong.status_code, polled_without.status_code) == (401, 401, 401)
    assert "results" not in without.json()
    assert "results" not in wrong.json()


def test_a_key_revoked_in_the_admin_is_refused_at_its_next_request(backend, transactional_db, admin_client, api_client):
    assert api_client.get(READ_PATHS[1]).status_code == 200
    stored = APIKey.objects.get(name="tests")

    admin_client.post(f"/admin/rest_framework_api_key/apikey/{stored.pk}/change/", {"name": "tests", "revoked": "on"})

    assert api_client.get(READ_PATHS[1]).status_code == 401
    assert api_client.get(READ_PATHS[1], HTTP_IF_NONE_MATCH="*").status_code == 401


def test_a_deleted_key_is_refused_at_its_next_request(backend, transactional_db, api_client):
    assert api_client.get(READ_PATHS[1]).status_code == 200

    APIKey.objects.get(name="tests").delete()

    assert api_client.get(READ_PATHS[1]).status_code == 401


def test_a_key_changed_while_a_request_was_checking_it_is_not_remembered_as_it_was(backend, api_client, api_key):
    """A request reads the key as good; the key is revoked and forgotten; then the request would remember it."""
    stored = APIKey.objects.get(name="tests")
    stored.revoked = True
    stored.save()  # in the test's transaction: forgetting waits for a commit, so it is done below by hand
    forget_key(stored)

    client_for(api_key, hashed(api_key), None, 0)  # the late request, remembering what it read before

    assert api_client.get(READ_PATHS[1]).status_code == 401


def test_made_up_keys_leave_no_rate_counters_behind(backend, settings):
    settings.API_RATE_LIMIT = "600/day"
    for number in range(5):
        APIClient(headers={"X-Api-Key": f"made{number:04}.up"}).get(READ_PATHS[1])

    if backend == "redis":
        assert list(cache.client.get_client().scan_iter(cache.make_key("rate:*"))) == []
    else:
        window = RateWindow.current(time.time())
        assert cache.get_many([window.counter_name(hashed(f"made{n:04}.up")) for n in range(5)]) == {}


def test_a_lock_is_released_only_by_its_holder(backend):
    store().add("lock:test", "holder", 5)

    store().delete_if_equal("lock:test", "someone else")
    kept = store().get("lock:test")
    store().delete_if_equal("lock:test", "holder")

    assert kept in ("holder", b"holder")
    assert store().get("lock:test") is None


def test_hits_count_against_the_rate_limit(backend, api_client, rate_limit):
    rate_limit(3)

    answers = [api_client.get(READ_PATHS[1]) for _ in range(4)]

    assert [(r.status_code, r.headers["X-Cache"]) for r in answers] == [
        (200, "MISS"),
        (200, "HIT"),
        (200, "HIT"),
        (429, "MISS"),
    ]
    assert 0 < int(answers[3].headers["Retry-After"]) <= 60
    assert answers[3].json()["detail"].startswith("Request was throttled. Expected available in")


def test_an_ingest_that_changes_articles_makes_the_next_request_a_miss(backend, transactional_db, sandbox, api_client):
    def fetch():
        ingest(sources=["newsapi", "guardian"], categories=["technology"])

    fetch()
    before = api_client.get(READ_PATHS[0])
    assert api_client.get(READ_PATHS[0]).headers["X-Cache"] == "HIT"

    fetch()  # nothing changed upstream: the cached pages stay
    unchanged = api_client.get(READ_PATHS[0])
    sandbox.config.revision = 2  # every story edited upstream
    fetch()
    after = api_client.get(READ_PATHS[0])

    assert unchanged.headers["X-Cache"] == "HIT"
    assert after.headers["X-Cache"] == "MISS"
    assert all(a["title"].endswith("(revision 2)") for a in after.json()["results"])
    assert not any(a["title"].endswith("(revision 2)") for a in before.json()["results"])


def test_an_article_deleted_in_the_admin_leaves_the_cached_pages(
    backend, transactional_db, admin_client, api_client, make_articles
):
    doomed, kept = make_articles(2)
    api_client.get(READ_PATHS[0])

    admin_client.post(f"/admin/articles/article/{doomed.pk}/delete/", {"post": "yes"})
    after = api_client.get(READ_PATHS[0])

    assert after.headers["X-Cache"] == "MISS"
    assert [a["id"] for a in after.json()["results"]] == [kept.id]


def test_cache_ttl_zero_turns_the_page_cache_off(backend, api_client, settings):
    settings.CACHE_TTL = 0

    assert [api_client.get(READ_PATHS[1]).headers["X-Cache"] for _ in range(2)] == ["MISS", "MISS"]


def test_errors_are_not_cached(backend, api_client):
    responses = [api_client.get("/api/articles/", {"limit": 0}) for _ in range(2)]

    assert [(r.status_code, r.headers["X-Cache"]) for r in responses] == [(400, "MISS"), (400, "MISS")]
    assert "ETag" not in responses[0].headers


def test_a_client_that_does_not_accept_json_is_told_so_not_served_a_page(backend, api_client):
    api_client.get(READ_PATHS[1])

    refused = api_client.get(READ_PATHS[1], HTTP_ACCEPT="text/html")

    assert (refused.status_code, refused.headers["X-Cache"]) == (406, "MISS")


@pytest.mark.parametrize("accept", ["application/json; charset=utf-8", "text/html, */*;q=0.8", "application/*"])
def test_other_ways_of_accepting_json_share_the_page(backend, api_client, accept):
    stored = api_client.get(READ_PATHS[1])

    hit = api_client.get(READ_PATHS[1], HTTP_ACCEPT=accept)

    assert (hit.headers["X-Cache"], hit.content) == ("HIT", stored.content)


def test_an_indented_answer_is_never_stored_for_others(backend, api_client, make_articles):
    make_articles(1)

    indented = api_client.get(READ_PATHS[0], HTTP_ACCEPT="*/*, application/json; indent=8")
    plain = api_client.get(READ_PATHS[0])

    assert indented.headers["X-Cache"] == "MISS"
    assert b"\n        " in indented.content
    assert plain.headers["X-Cache"] == "MISS"
    assert b"\n" not in plain.content


def test_requests_django_refuses_before_the_view_cost_the_key_nothing(backend, api_client, rate_limit, settings):
    rate_limit(2)
    settings.SECURE_SSL_REDIRECT = True

    refused = [api_client.get(READ_PATHS[1]), api_client.get(READ_PATHS[1], secure=True, HTTP_HOST="evil.example")]
    answered = [api_client.get(READ_PATHS[1], secure=True) for _ in range(2)]

    assert [r.status_code for r in refused] == [301, 400]
    assert [(r.status_code, r.headers["X-Cache"]) for r in answered] == [(200, "MISS"), (200, "HIT")]
