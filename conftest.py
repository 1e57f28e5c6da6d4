"""Fixtures shared by every app's tests: the sandbox upstream over real HTTP, and what needs a real service."""

import os
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from itertools import count

import psycopg
import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from rest_framework.test import APIClient
from rest_framework_api_key.models import APIKey

from articles.models import Article
from profiling.sandbox import Sandbox, SandboxConfig

NEWSAPI_TEST_KEY = "newsapi-test-key-0123456789"
GUARDIAN_TEST_KEY = "guardian-test-key-9876543210"


def manage(*args, **environ):
    """Run manage.py as an operator would, in a process of its own, with only `environ` (and PATH) set."""
    env = {"PATH": os.environ["PATH"], "ENV_FILE": "", **environ}  # neither the suite's variables nor a .env
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


@pytest.fixture(scope="session")
def django_db_modify_db_settings(tmp_path_factory):
    """On SQLite, test in a file as the service runs, not in shared-cache memory, which locks differently."""
    database = settings.DATABASES["default"]
    if database["ENGINE"] == "django.db.backends.sqlite3":
        database["TEST"]["NAME"] = str(tmp_path_factory.mktemp("db") / "test.sqlite3")


@pytest.fixture(scope="session")
def sandbox_server():
    server = Sandbox(SandboxConfig(latency=0)).start()
    yield server
    server.stop()


@pytest.fixture
def sandbox(sandbox_server, settings):
    """The sandbox with no latency, no faults and a clock stopped at the test's start; settings point at it."""
    sandbox_server.reset(SandboxConfig(latency=0, stories_per_feed=10, clock=datetime.now(UTC)))
    settings.NEWSAPI_BASE_URL = settings.GUARDIAN_BASE_URL = sandbox_server.base_url
    settings.NEWSAPI_KEY = NEWSAPI_TEST_KEY
    settings.GUARDIAN_API_KEY = GUARDIAN_TEST_KEY
    settings.GUARDIAN_REQUESTS_PER_SECOND = 0
    settings.GUARDIAN_PAGE_SIZE = 50  # small test feeds still take several pages
    settings.UPSTREAM_RETRIES = 2
    settings.UPSTREAM_BACKOFF = 0.01
    settings.UPSTREAM_TIMEOUT = 2
    return sandbox_server


@pytest.fixture
def postgres(db):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: set DATABASE_URL=postgres://... to run it")


@pytest.fixture
def advisory_lock_held_elsewhere(postgres):
    """`hold(lock_id)`: another session holds that advisory lock, as another process would; `.release()` ends it."""
    db = connection.settings_dict
    holders = []

    class Holder:
        def __init__(self, lock_id):
            self.lock_id = lock_id
            self.session = psycopg.connect(
                dbname=db["NAME"],
                user=db["USER"],
                host=db["HOST"],
                port=db["PORT"],
                password=db["PASSWORD"],
                autocommit=True,
            )
            self.session.execute("SELECT pg_advisory_lock(%s)", [lock_id])

        def release(self):
            if not self.session.closed:
                # Explicitly: closing the connection alone frees the lock a moment later, not at once.
                self.session.execute("SELECT pg_advisory_unlock(%s)", [self.lock_id])
                self.session.close()

    def hold(lock_id):
        holders.append(Holder(lock_id))
        return holders[-1]

    yield hold
    for holder in holders:
        holder.release()


@pytest.fixture
def ingest_lock_held_elsewhere(advisory_lock_held_elsewhere):
    """Another session holds the ingest lock, as a fetch_articles running elsewhere would; `.release()` ends it."""
    from articles.locks import INGEST_LOCK_ID

    return advisory_lock_held_elsewhere(INGEST_LOCK_ID)


@pytest.fixture
def log_output():
    """What the service's own log handler (settings.LOGGING, keys masked) writes, while the test runs."""
    import io
    import logging

    from articles.masking import MaskSecretsFilter

    loggers = [logging.getLogger(), *(item for item in logging.root.manager.loggerDict.values() if item)]
    handlers = {
        handler
        for logger in loggers
        for handler in getattr(logger, "handlers", [])
        if any(isinstance(f, MaskSecretsFilter) for f in handler.filters)
    }
    output = io.StringIO()
    streams = {handler: handler.setStream(output) for handler in handlers}
    yield output
    for handler, stream in streams.items():
        handler.setStream(stream)


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with an empty cache: rate-limit counts and cached pages do not leak between tests."""
    cache.clear()


def per_minute_limit(settings, name):
    """A function of n that sets the limit `name` to n a minute, in a window the test will not see end (the
    limits count in fixed windows from :00)."""

    def per_minute(limit):
        setattr(settings, name, f"{limit}/min")
        left = 60 - time.time() % 60
        if left < 5:
            time.sleep(left)

    return per_minute


@pytest.fixture
def rate_limit(settings):
    """rate_limit(n): API_RATE_LIMIT at n a minute."""
    return per_minute_limit(settings, "API_RATE_LIMIT")


@pytest.fixture
def auth_failure_limit(settings):
    """auth_failure_limit(n): API_AUTH_FAILURE_LIMIT at n a minute."""
    return per_minute_limit(settings, "API_AUTH_FAILURE_LIMIT")


@pytest.fixture
def api_key(db):
    return APIKey.objects.create_key(name="tests")[1]


@pytest.fixture
def api_client(api_key):
    return APIClient(headers={"X-Api-Key": api_key})


_article_numbers = count(1)


@pytest.fixture
def make_articles(db):
    """make_articles(n, spacing=, **fields): n stored articles, `spacing` apart (a minute), the first the newest."""

    def make(n=1, spacing=timedelta(minutes=1), **fields):
        newest = fields.pop("published_at", datetime(2026, 11, 23, 12, 0, tzinfo=UTC))
        now = datetime.now(UTC)
        articles = []
        for i in range(n):
            number = next(_article_numbers)
            values = {
                "url": f"https://news.example.com/{number}",
                "source": "newsapi",
                "source_name": "Example News",
                "title": f"Story {number}",
                "description": f"What happened in story {number}.",
                "category": "technology",
                "published_at": newest - i * spacing,
                "first_seen_at": now,
                "last_updated_at": now,
                **fields,
            }
            articles.append(Article(**values))
        return Article.objects.bulk_create(articles)

    return make
