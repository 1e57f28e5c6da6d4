"""With PostgreSQL unreachable, the API answers a clear 503 with Retry-After, never a 500."""

import json
import secrets

import pytest

from conftest import manage

DOWN = {
    "DEBUG": "false",
    "SECRET_KEY": secrets.token_urlsafe(50),
    "ALLOWED_HOSTS": "testserver",
    "DATABASE_URL": "postgres://news@127.0.0.1:1/news",
}


def probe(path, **headers):
    code = (
        "from django.test import Client; "
        f"r = Client(raise_request_exception=False).get({path!r}, headers={headers!r}); "
        "print(r.status_code, r.get('Retry-After'), r.content.decode())"
    )
    completed = manage("shell", "--no-imports", "-c", code, **DOWN)
    status, retry_after, body = completed.stdout.strip().split(" ", 2)
    return status, retry_after, body, completed.stderr


@pytest.mark.parametrize(
    "path", ["/api/articles/", "/api/articles/1/", "/api/sources/", "/api/categories/", "/api/cache/stats/"]
)
def test_a_request_needing_the_database_is_a_503_with_retry_after(path):
    status, retry_after, body, stderr = probe(path, **{"X-Api-Key": "abcdefgh.0123456789"})

    assert (status, retry_after) == ("503", "10")
    assert json.loads(body) == {"detail": "The database is unavailable: try again in a few seconds."}
    assert "Traceback" not in stderr
    assert "the database is unavailable: connection failed" in stderr
