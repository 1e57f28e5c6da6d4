"""DATABASE_STATEMENT_TIMEOUT: a query of the web server that runs too long is a 503 sentence; other work is not cut."""

import psycopg
import pytest
import requests
from django.db import connection


@pytest.fixture
def articles_locked(postgres):
    """Another session holds the articles table locked, as a long migration or a stuck writer would: every query of
    it waits. `.release()` ends it."""
    db = connection.settings_dict
    session = psycopg.connect(dbname=db["NAME"], user=db["USER"], host=db["HOST"], port=db["PORT"])
    session.execute("LOCK TABLE articles_article IN ACCESS EXCLUSIVE MODE")
    yield session
    session.rollback()
    session.close()


def test_it_answers_a_query_past_the_timeout_with_a_503_sentence(live_api, api_key, settings, articles_locked):
    settings.DATABASE_STATEMENT_TIMEOUT = 0.5
    headers = {"X-Api-Key": api_key}

    response = requests.get(f"{live_api}/api/articles/?category=business", headers=headers, timeout=30)

    assert response.status_code == 503
    assert response.json() == {
        "detail": "The database took longer than the 0.5 s this API allows for one query, and stopped it: try again "
        "in a few seconds, or ask for less (a narrower filter, a cursor rather than a deep offset)."
    }
    assert response.headers["Retry-After"] == "10"
    articles_locked.rollback()
    # The server goes on answering (the same address is answered from the page cache for Retry-After: another).
    again = requests.get(f"{live_api}/api/articles/?category=business&limit=3", headers=headers, timeout=30)
    assert again.status_code == 200
    assert again.json()["count"] == 3


def test_it_logs_the_request_that_ran_too_long(live_api, api_key, settings, articles_locked, log_output):
    settings.DATABASE_STATEMENT_TIMEOUT = 0.5

    requests.get(f"{live_api}/api/articles/?source=guardian", headers={"X-Api-Key": api_key}, timeout=30)

    assert (
        "The API answered 503: a query ran past DATABASE_STATEMENT_TIMEOUT (0.5 s): GET /api/articles/?source=guardian"
        in log_output.getvalue()
    )


def test_the_work_outside_requests_has_no_timeout(postgres, live_api, api_key, settings):
    """The ingest, the commands and the migrations: their connections are not the web server's."""
    settings.DATABASE_STATEMENT_TIMEOUT = 0.5
    requests.get(f"{live_api}/api/articles/", headers={"X-Api-Key": api_key}, timeout=30)
    connection.close()

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_sleep(1), current_setting('statement_timeout')")
        assert cursor.fetchone()[1] == "0"
