"""A hit answered by the WSGI layer (articles/api/wsgi.py) before Django's handler, under gunicorn as served: the
same answer as the middleware's, with the security and timing headers and the log line; misses go on to Django."""

import io
import secrets

import pytest
import requests
from django.db import connection

from conftest import manage
from newsproject.wsgi import application
from profiling.gunicorn_process import GunicornProcess

from .test_page_cache import HIT_HEADERS

PATH = "/api/articles/?category=technology&limit=5"


@pytest.fixture
def served(tmp_path):
    """gunicorn, one worker, on a fresh SQLite database with a key (the page cache in that worker's memory)."""
    environ = {
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "DATABASE_URL": f"sqlite:///{tmp_path}/db.sqlite3",
        "GUNICORN_WORKERS": "1",
        "LOG_LEVEL": "INFO",
    }
    assert manage("migrate", **environ).returncode == 0
    key = manage("create_api_key", "wsgi test", **environ).stdout.split()[-1]
    with GunicornProcess(tmp_path, environ) as server:
        yield server, {"X-Api-Key": key}


def test_a_hit_is_the_misses_answer_with_its_headers_and_timing(served):
    server, headers = served

    miss, hit = (requests.get(server.base_url + PATH, headers=headers, timeout=10) for _ in range(2))

    assert (miss.headers["X-Cache"], hit.headers["X-Cache"]) == ("MISS", "HIT")
    assert hit.content == miss.content
    for header in HIT_HEADERS:
        assert hit.headers[header] == miss.headers[header], header
    assert hit.headers["X-Frame-Options"] == "DENY"
    assert hit.headers["X-Process-Time"].endswith("ms")
    assert hit.headers["Server-Timing"].startswith("app;dur=")


def test_head_and_a_poll_with_the_etag_are_answered_from_the_page(served):
    server, headers = served
    etag = requests.get(server.base_url + PATH, headers=headers, timeout=10).headers["ETag"]

    head = requests.head(server.base_url + PATH, headers=headers, timeout=10)
    poll = requests.get(server.base_url + PATH, headers={**headers, "If-None-Match": etag}, timeout=10)

    assert (head.status_code, head.headers["X-Cache"], head.content) == (200, "HIT", b"")
    assert (poll.status_code, poll.headers["X-Cache"], poll.content) == (304, "HIT", b"")
    assert poll.headers["ETag"] == etag


def test_a_hit_needs_a_good_key_and_is_logged(served):
    server, headers = served
    requests.get(server.base_url + PATH, headers=headers, timeout=10)

    refused = requests.get(server.base_url + PATH, headers={"X-Api-Key": "made.up"}, timeout=10)
    requests.get(server.base_url + PATH, headers=headers, timeout=10)
    server.stop()

    assert refused.status_code == 401
    assert "GET /api/articles/ 200" in server.stderr
    assert "cache=HIT" in server.stderr


def test_a_non_ascii_address_goes_on_to_django_unharmed(served):
    server, headers = served

    response = requests.get(server.base_url + "/api/articles/%C4%80/", headers=headers, timeout=10)

    assert response.status_code == 404
    assert response.json() == {"detail": "There is no article with the id 'Ā'."}


@pytest.mark.django_db(transaction=True)
def test_a_database_error_in_the_key_check_is_left_to_djangos_error_handling(api_key, settings):
    """A key not seen lately is checked in the database, by the WSGI layer too: its failure must get Django's
    JSON 500, not a traceback out of the WSGI application."""
    answers = []
    connection.close()
    port = connection.settings_dict["PORT"]
    name = connection.settings_dict["NAME"]
    connection.settings_dict["NAME"] = "/nonexistent/db.sqlite3" if connection.vendor == "sqlite" else name
    connection.settings_dict["PORT"] = port if connection.vendor == "sqlite" else "1"
    try:
        body = b"".join(
            application(
                {
                    "REQUEST_METHOD": "GET",
                    "PATH_INFO": "/api/articles/",
                    "QUERY_STRING": "",
                    "SERVER_NAME": "localhost",
                    "SERVER_PORT": "80",
                    "HTTP_HOST": "localhost",
                    "HTTP_X_API_KEY": api_key,
                    "wsgi.url_scheme": "http",
                    "wsgi.input": io.BytesIO(b""),
                },
                lambda status, headers, exc_info=None: answers.append(status),
            )
        )
    finally:
        connection.close()
        connection.settings_dict["PORT"], connection.settings_dict["NAME"] = port, name

    assert answers == ["500 Internal Server Error"]
    assert b"Server error" in body
