"""Fixtures shared by every app's tests: the sandbox upstream over real HTTP, and what needs a real service."""

import os
import subprocess
import sys
from datetime import UTC, datetime

import pytest
from django.conf import settings
from django.db import connection

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
