"""The page cache under load and faults: its stats, concurrent misses, Redis down, a new key's requests."""

import threading

import psycopg
import pytest
import requests
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient
from rest_framework_api_key.models import APIKey

from articles.api.cachestore import CacheUnavailable, store
from articles.api.pagecache import cache_stats, invalidate_pages
from articles.services.ingest import ingest
from profiling.chaos.harness import wait_for

from .test_page_cache import READ_PATHS

pytestmark = pytest.mark.django_db


def test_the_stats_count_this_applications_hits_and_misses(backend, api_client, rate_limit):
    rate_limit(4)
    api_client.get(READ_PATHS[1])  # miss
    api_client.get(READ_PATHS[1])  # hit
    api_client.get(READ_PATHS[2])  # miss
    APIClient().get(READ_PATHS[1])  # no key: not a lookup

    stats = api_client.get("/api/cache/stats/")  # the key's 4th request; its 5th is refused, and not counted
    api_client.get(READ_PATHS[1])

    assert stats.status_code == 200
    assert stats.json() == {
        "backend": backend,
        "ttl_seconds": 300,
        "hits": 1,
        "misses": 2,
        "hit_rate_percent": 33.33,
        "keys": 2,
    }
    assert api_client.get("/api/cache/stats/").status_code == 429


def test_the_stats_need_a_key_and_take_no_parameters(backend, api_client):
    assert APIClient().get("/api/cache/stats/").status_code == 401
    assert api_client.get("/api/cache/stats/", {"reset": "1"}).status_code == 400
    assert api_client.get("/api/cache/stats/").json()["hit_rate_percent"] is None


def test_twenty_concurrent_misses_on_one_page_ask_the_database_once(
    postgres, transactional_db, live_server, api_key, make_articles
):
    """A hot page that expires under load. The database is held up until all twenty requests have looked the page
    up, so all arrive while the first computes it; without the lock each would run the list's queries."""
    make_articles(3)
    url = f"{live_server.url}{READ_PATHS[0]}"
    requests.get(url, headers={"X-Api-Key": api_key}, timeout=10)  # the key is remembered: only pages are asked for
    invalidate_pages()
    looked_up = cache_stats()["hits"] + cache_stats()["misses"]

    db = connection.settings_dict
    blocker = psycopg.connect(
        dbname=db["NAME"], user=db["USER"], host=db["HOST"], port=db["PORT"], password=db["PASSWORD"]
    )
    blocker.execute("LOCK TABLE articles_article IN ACCESS EXCLUSIVE MODE")
    answers = []

    def client():
        answers.append(requests.get(url, headers={"X-Api-Key": api_key}, timeout=30))

    threads = [threading.Thread(target=client) for _ in range(20)]
    for thread in threads:
        thread.start()
    stuck = "SELECT count(*) FROM pg_locks WHERE relation = 'articles_article'::regclass AND NOT granted"
    # A loaded machine takes a while to bring twenty threads to the cache, and the first of them to the database.
    wait_for(lambda: sum(cache_stats()[n] for n in ("hits", "misses")) >= looked_up + 20, "twenty lookups")
    wait_for(lambda: blocker.execute(stuck).fetchone()[0], "the first request's query")
    in_the_database = blocker.execute(stuck).fetchone()[0]
    blocker.rollback()
    blocker.close()
    for thread in threads:
        thread.join()

    assert [r.status_code for r in answers] == [200] * 20
    assert [r.headers["X-Cache"] for r in answers].count("MISS") == 1
    assert in_the_database == 1


@pytest.fixture
def redis_down(settings):
    """Redis configured, as in production, on a port where nothing answers."""
    settings.REDIS_URL = "redis://127.0.0.1:1/0"
    settings.CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": settings.REDIS_URL,
            "OPTIONS": {"SOCKET_CONNECT_TIMEOUT": 0.5, "SOCKET_TIMEOUT": 0.5},
        }
    }
    store.cache_clear()
    yield
    store.cache_clear()


def test_without_redis_the_api_answers_from_the_database_and_warns_once(
    redis_down, api_client, make_articles, log_output
):
    make_articles(2)

    answers = [api_client.get(READ_PATHS[0]) for _ in range(3)]
    without_key = APIClient().get(READ_PATHS[0])
    wrong_key = APIClient(headers={"X-Api-Key": "abcdefgh.wrong"}).get(READ_PATHS[0])

    assert [(r.status_code, r.headers["X-Cache"]) for r in answers] == [(200, "MISS")] * 3
    assert len(answers[0].json()["results"]) == 2
    assert (without_key.status_code, wrong_key.status_code) == (401, 401)
    warnings = [line for line in log_output.getvalue().splitlines() if "Redis is unavailable" in line]
    assert len(warnings) == 1
    assert "WARNING" in warnings[0]
    assert "answers from the database" in warnings[0]


def test_without_redis_the_stats_say_so_and_readiness_is_degraded(redis_down, api_client):
    stats = api_client.get("/api/cache/stats/")
    ready = APIClient().get("/health/ready/")

    assert stats.status_code == 503
    assert stats.json() == {"detail": "The cache is unavailable: the API answers from the database meanwhile."}
    assert (ready.status_code, ready.json()["status"]) == (200, "degraded")


def test_an_ingest_without_redis_stores_its_articles_and_warns_the_pages_may_be_stale(
    redis_down, sandbox, transactional_db, log_output
):
    (result,) = ingest(sources=["newsapi"], categories=["technology"])

    assert result.created > 0
    assert "The API's cached pages could not be marked out of date" in log_output.getvalue()


def test_a_new_keys_second_request_needs_no_query(backend, transactional_db, make_articles):
    client = APIClient(headers={"X-Api-Key": APIKey.objects.create_key(name="new")[1]})
    client.get(READ_PATHS[1])  # the key from the database, remembered; the page computed, stored

    with CaptureQueriesContext(connection) as queries:
        hit = client.get(READ_PATHS[1])

    assert (hit.status_code, hit.headers["X-Cache"]) == (200, "HIT")
    assert len(queries) == 0


def test_a_failed_round_trip_leaves_no_reply_behind_for_the_next(settings):
    """An error in the middle of a round trip leaves later replies unread on its connection: never reused."""
    if not settings.REDIS_URL:
        pytest.skip("needs Redis: set REDIS_URL=redis://... to run it")
    redis_store = store()
    redis_store.set("text", "not a number")

    with pytest.raises(CacheUnavailable):
        redis_store.get_and_count(["text"], [("text", None), ("unread", None)])  # INCR of text fails
    redis_store.retry_at = 0  # as 5 s later
    redis_store.set("answer", "42")

    assert redis_store.get_and_count(["answer"], [("count", None)]) == ([b"42"], [1])
