"""/health/ and /health/ready/ as a load balancer or an orchestrator probes them."""

import secrets

import pytest
from django.test import Client

from conftest import manage

PROBE = "from django.test import Client; r = Client().get('/health/ready/'); print(r.status_code, r.content.decode())"
PRODUCTION = {"DEBUG": "false", "SECRET_KEY": secrets.token_urlsafe(50), "ALLOWED_HOSTS": "testserver"}


def test_liveness_answers_without_touching_the_database(db, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = Client().get("/health/")

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert "no-cache" in response.headers["Cache-Control"]


def test_readiness_checks_the_database_and_the_cache(db):
    response = Client().get("/health/ready/")

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": {"database": "ok", "cache": "ok"}}


def test_readiness_is_503_naming_the_database_when_it_is_down():
    completed = manage(
        "shell", "--no-imports", "-c", PROBE, DATABASE_URL="postgres://news@127.0.0.1:1/news", **PRODUCTION
    )

    status, body = completed.stdout.split(" ", 1)
    assert status == "503"
    assert '"status": "unavailable"' in body
    assert '"database": "unavailable"' in body
    assert "readiness: the database is unavailable: connection failed" in completed.stderr
    assert '"cache": "ok"' in body


def test_readiness_is_degraded_not_down_without_the_cache(tmp_path):
    completed = manage(
        "shell",
        "--no-imports",
        "-c",
        PROBE,
        DATABASE_URL=f"sqlite:///{tmp_path}/db.sqlite3",
        REDIS_URL="redis://127.0.0.1:1/0",
        **PRODUCTION,
    )

    status, body = completed.stdout.split(" ", 1)
    assert status == "200"
    assert '"status": "degraded"' in body
    assert '"database": "ok"' in body
    assert '"cache": "unavailable: ConnectionError"' in body


@pytest.mark.parametrize("path", ["/health/", "/health/ready/"])
@pytest.mark.parametrize("method", ["post", "delete"])
def test_health_answers_only_get_and_says_so_in_json(db, method, path):
    response = getattr(Client(enforce_csrf_checks=True), method)(path)  # as a real client: no CSRF token

    assert response.status_code == 405
    assert response.json() == {"detail": f'Method "{method.upper()}" not allowed.'}
    assert response.headers["Allow"] == "GET, HEAD"
