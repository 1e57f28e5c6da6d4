"""A hit answered by the WSGI layer (articles/api/wsgi.py) before Django's handler, under gunicorn as served: the
same answer as the middleware's, with the security and timing headers and the log line; misses go on to Django."""

import io
import secrets
import time

import pytest
import requests
from django.db import connection
from django.urls import set_script_prefix

from articles.api.cachestore import store
from articles.api.keys import RateWindow, hashed
from articles.api.middleware import page_cached_paths
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
    remaining = [int(answer.headers["RateLimit-Remaining"]) for answer in (miss, hit)]
    assert remaining[1] == remaining[0] - 1  # the hit's own count, not the one stored with the page


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


def call(method, path, headers=(), script_name=""):
    """`path` asked of the service's WSGI application in this process: (status, headers, body)."""
    answer = {}
    body = b"".join(
        application(
            {
                "REQUEST_METHOD": method,
                "SCRIPT_NAME": script_name,
                "PATH_INFO": path,
                "QUERY_STRING": "",
                "SERVER_NAME": "localhost",
                "SERVER_PORT": "80",
                "HTTP_HOST": "localhost",
                "wsgi.url_scheme": "http",
                "wsgi.input": io.BytesIO(b""),
                **{f"HTTP_{name.upper().replace('-', '_')}": value for name, value in dict(headers).items()},
            },
            lambda status, headers, exc_info=None: answer.update(status=status, headers=dict(headers)),
        )
    )
    return answer["status"], answer["headers"], body


@pytest.mark.django_db(transaction=True)
def test_head_is_answered_without_a_body(api_key):
    get = call("GET", "/api/categories/", {"X-Api-Key": api_key})
    head = call("HEAD", "/api/categories/", {"X-Api-Key": api_key})

    assert (get[0], get[1]["X-Cache"]) == ("200 OK", "MISS")
    assert (head[0], head[1]["X-Cache"], head[2]) == ("200 OK", "HIT", b"")
    assert head[1]["Content-Length"] == str(len(get[2]))


@pytest.mark.django_db(transaction=True)
def test_under_a_script_prefix_pages_are_cached_whatever_came_first(api_key):
    page_cached_paths.cache_clear()
    try:
        call("POST", "/api/categories/", {"X-Api-Key": api_key}, script_name="/news")  # sets the prefix first
        answers = [call("GET", "/api/categories/", {"X-Api-Key": api_key}, script_name="/news") for _ in range(2)]
    finally:
        set_script_prefix("/")
        page_cached_paths.cache_clear()

    assert [(status, headers["X-Cache"]) for status, headers, _ in answers] == [("200 OK", "MISS"), ("200 OK", "HIT")]


@pytest.mark.django_db(transaction=True)
def test_a_database_error_in_the_key_check_is_left_to_djangos_error_handling(api_key):
    """A key not seen lately is checked in the database, by the WSGI layer too: its failure must get the API's
    JSON 503, not a traceback out of the WSGI application, and count the request once."""
    connection.close()
    port, name = connection.settings_dict["PORT"], connection.settings_dict["NAME"]
    if connection.vendor == "sqlite":
        connection.settings_dict["NAME"] = "/nonexistent/db.sqlite3"
    else:
        connection.settings_dict["PORT"] = "1"
    try:
        status, _, body = call("GET", "/api/articles/", {"X-Api-Key": api_key})
    finally:
        connection.close()
        connection.settings_dict["PORT"], connection.settings_dict["NAME"] = port, name

    assert status == "503 Service Unavailable"
    assert b"The database is unavailable" in body
    assert int(store().get(RateWindow.current(time.time()).counter_name(hashed(api_key)))) == 1
