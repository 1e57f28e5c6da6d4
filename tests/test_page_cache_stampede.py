"""A slow page asked for by several clients at once, over real HTTP with Redis: computed once, the others wait."""

import threading

import psycopg
import pytest
import requests
from django.db import connection
from django.test import RequestFactory

from articles.api.cachestore import store
from articles.api.pagecache import cache_stats, page_name

STUCK = "SELECT count(*) FROM pg_locks WHERE relation = 'articles_article'::regclass AND NOT granted"


@pytest.fixture
def redis(settings):
    if not settings.REDIS_URL:
        pytest.skip("needs Redis: set REDIS_URL=redis://... to run it")
    store.cache_clear()
    yield
    store.cache_clear()


@pytest.fixture
def blocker(postgres):
    """Another session that locks the articles table, so that each query of it waits until `.rollback()`."""
    db = connection.settings_dict
    session = psycopg.connect(dbname=db["NAME"], user=db["USER"], host=db["HOST"], port=db["PORT"])
    yield session
    session.rollback()
    session.close()


def ask_at_once(url, api_key, clients):
    """Start `clients` requests for `url`; return their answers (filled once joined) and their threads."""
    answers = []
    threads = [
        threading.Thread(target=lambda: answers.append(requests.get(url, headers={"X-Api-Key": api_key}, timeout=60)))
        for _ in range(clients)
    ]
    for thread in threads:
        thread.start()
    return answers, threads


def wait_until_looked_up(count):
    """Until `count` requests have looked their page up: all are in, computing it or waiting for it."""
    for _ in range(600):
        stats = cache_stats()
        if stats["hits"] + stats["misses"] >= count:
            return
        threading.Event().wait(0.05)
    raise AssertionError(f"{count} lookups never came")


def test_a_page_slower_than_the_old_five_second_lock_is_computed_once(redis, live_api, api_key, blocker):
    """The computation is held up 6 s after all three arrived: the lock outlives it, so the two others wait for the
    page rather than each running the list's queries once the lock has expired."""
    blocker.execute("LOCK TABLE articles_article IN ACCESS EXCLUSIVE MODE")
    answers, threads = ask_at_once(f"{live_api}/api/articles/?category=business", api_key, 3)
    wait_until_looked_up(3)
    threading.Event().wait(6)
    in_the_database = blocker.execute(STUCK).fetchone()[0]
    blocker.rollback()
    for thread in threads:
        thread.join()

    assert in_the_database == 1
    assert [r.status_code for r in answers] == [200] * 3
    assert sorted(r.headers["X-Cache"] for r in answers) == ["HIT", "HIT", "MISS"]
    assert len({r.content for r in answers}) == 1
    assert cache_stats()["misses"] == 1


def test_a_page_stopped_by_the_statement_timeout_is_one_query_and_one_answer_for_all(
    redis, live_api, api_key, settings, blocker
):
    settings.DATABASE_STATEMENT_TIMEOUT = 1
    blocker.execute("LOCK TABLE articles_article IN ACCESS EXCLUSIVE MODE")
    answers, threads = ask_at_once(f"{live_api}/api/articles/?source=guardian", api_key, 3)
    for thread in threads:
        thread.join()
    later = requests.get(f"{live_api}/api/articles/?source=guardian", headers={"X-Api-Key": api_key}, timeout=60)

    assert [r.status_code for r in answers] == [503] * 3
    assert sorted(r.headers["X-Cache"] for r in answers) == ["HIT", "HIT", "MISS"]
    assert {r.json()["detail"] for r in answers} == {
        "The database took longer than the 1 s this API allows for one query, and stopped it: try again "
        "in a few seconds, or ask for less (a narrower filter, a cursor rather than a deep offset)."
    }
    assert {r.headers["Retry-After"] for r in answers} == {"10"}
    assert (later.status_code, later.headers["X-Cache"]) == (503, "HIT")  # for its Retry-After: no query
    assert cache_stats()["misses"] == 1


def test_a_request_waits_no_longer_than_a_computation_may_take(redis, api_client, settings):
    """The lock's holder is gone without a word (a worker killed): the waiting request answers a sentence before its
    own worker is killed in turn."""
    settings.DATABASE_STATEMENT_TIMEOUT = 0.001  # a computation may take 5 s
    path = "/api/articles/?category=science"
    store().add(f"lock:{page_name(RequestFactory().get(path))}", "a worker killed meanwhile", 60)

    response = api_client.get(path)

    assert response.status_code == 503
    assert response.json() == {
        "detail": "Another request has been computing this page for 5 s and has not finished: try again in a few "
        "seconds."
    }
    assert response.headers["Retry-After"] == "5"
