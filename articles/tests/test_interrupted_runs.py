"""Runs that never reach their end: killed, stopped, or cut off from the database. Their record stays true."""

import os
import signal
import subprocess
import sys
import time

import psycopg
import pytest
from django.conf import settings as django_settings
from django.db import DatabaseError, connection
from django.test import Client
from django.utils import timezone

from articles.locks import INGEST_LOCK_ID
from articles.models import IngestRun
from articles.selectors import requests_made_today
from articles.services.ingest import ingest
from articles.services.stopping import record_stop, stop_on_ctrl_c_and_sigterm
from conftest import manage

pytestmark = pytest.mark.django_db


def left_running(source="newsapi", requests_made=3):
    """The row a killed fetch_articles leaves behind."""
    return IngestRun.objects.create(source=source, started_at=timezone.now(), requests_made=requests_made)


def test_the_next_run_marks_a_run_left_running_as_interrupted(sandbox):
    killed = left_running()

    ingest(sources=["newsapi"], categories=["technology"])

    killed.refresh_from_db()
    assert killed.status == "interrupted"
    assert killed.message.startswith("The run stopped before its end (its process was killed or lost the database)")
    assert "the next fetch_articles run found it at" in killed.message
    assert killed.requests_made == 3  # what it had counted stays counted
    assert requests_made_today("newsapi") == 3 + len(sandbox.requests)


def test_readiness_marks_a_run_whose_process_is_gone(postgres):
    killed = left_running()

    assert Client().get("/health/ready/").status_code == 200

    killed.refresh_from_db()
    assert killed.status == "interrupted"
    assert "a readiness check found it at" in killed.message


def test_readiness_leaves_a_live_run_alone(postgres, ingest_lock_held_elsewhere):
    live = left_running()

    Client().get("/health/ready/")

    live.refresh_from_db()
    assert live.status == "running"
    ingest_lock_held_elsewhere.release()
    Client().get("/health/ready/")
    live.refresh_from_db()
    assert live.status == "interrupted"


def test_readiness_cannot_tell_without_postgresql(tmp_path):
    sqlite = {"DEBUG": "true", "DATABASE_URL": f"sqlite:///{tmp_path}/db.sqlite3"}
    assert manage("migrate", "-v", "0", **sqlite).returncode == 0
    probe = (
        "from django.test import Client; from django.utils import timezone; from articles.models import IngestRun; "
        "r = IngestRun.objects.create(source='newsapi', started_at=timezone.now()); "
        "Client().get('/health/ready/'); r.refresh_from_db(); print(r.status)"
    )

    # Another process may be running it, and SQLite has no lock to say so: only the next run can tell.
    assert manage("shell", "--no-imports", "-c", probe, **sqlite).stdout.strip() == "running"


def test_a_run_killed_mid_way_is_never_under_counted_and_is_marked_interrupted(sandbox, tmp_path):
    env = {
        "DEBUG": "true",
        "DATABASE_URL": f"sqlite:///{tmp_path}/db.sqlite3",
        "NEWSAPI_BASE_URL": sandbox.base_url,
        "NEWSAPI_KEY": "newsapi-test-key-0123456789",
    }
    assert manage("migrate", "-v", "0", **env).returncode == 0
    # Requests that store nothing, retried: a run counting only what it stores would count none of them.
    sandbox.set_fault("newsapi", "500")
    process = subprocess.Popen(
        [sys.executable, "manage.py", "fetch_articles", "--source", "newsapi"],
        cwd=django_settings.BASE_DIR,
        env={"PATH": os.environ["PATH"], "ENV_FILE": "", "UPSTREAM_RETRIES": "50", "UPSTREAM_BACKOFF": "0.1", **env},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        while len(sandbox.requests_to("newsapi")) < 3 and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)
    received = len(sandbox.requests_to("newsapi"))

    row = "from articles.models import IngestRun; r = IngestRun.objects.get(); print(r.status, r.requests_made)"
    status, counted = manage("shell", "--no-imports", "-c", row, **env).stdout.split()
    assert status == "running"
    assert int(counted) >= received >= 3

    sandbox.config.faults.clear()
    assert manage("fetch_articles", "--source", "newsapi", "--category", "science", **env).returncode == 0
    first = "from articles.models import IngestRun; r = IngestRun.objects.earliest('started_at'); print(r.status)"
    assert manage("shell", "--no-imports", "-c", first, **env).stdout.strip() == "interrupted"


def test_ctrl_c_counts_the_requests_sent_and_at_most_one_more(sandbox):
    class CtrlC:
        def page(self, source, page, result):
            raise KeyboardInterrupt

        def done(self, source, result):
            pass

    sandbox.config.stories_per_feed = 300
    with pytest.raises(KeyboardInterrupt):
        ingest(sources=["guardian"], categories=["technology", "sports"], progress=CtrlC())
    time.sleep(0.5)  # a request the fetch thread had begun reaches the sandbox

    run = IngestRun.objects.get()
    assert run.status == "interrupted"
    assert len(sandbox.requests) <= run.requests_made <= len(sandbox.requests) + 1


def cut_off(*, refuse_new):
    """A progress watcher that, after the first page, ends this test's database session from another one, as a
    database restart would; with `refuse_new`, the database also refuses new connections, as a stopped one does."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid(), current_database()")
        pid, name = cursor.fetchone()
    maintenance = {**connection.get_connection_params(), "dbname": "postgres", "autocommit": True}

    class CutOff:
        done_once = False

        def page(self, source, page, result):
            if not self.done_once:
                self.done_once = True
                with psycopg.connect(**maintenance) as other:
                    if refuse_new:
                        other.execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS false')
                    other.execute("SELECT pg_terminate_backend(%s)", [pid])

        def done(self, source, result):
            pass

        def restore(self):
            with psycopg.connect(**maintenance) as other:
                other.execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS true')
            connection.close()

    return CutOff()


@pytest.mark.django_db(transaction=True)
def test_a_database_restart_mid_run_costs_nothing(sandbox, postgres):
    watcher = cut_off(refuse_new=False)
    sandbox.config.stories_per_feed = 300

    (result,) = ingest(sources=["guardian"], categories=["technology", "sports"], progress=watcher)

    assert (result.status, result.created) == ("ok", result.fetched)  # the batch cut off was stored again


@pytest.mark.django_db(transaction=True)
def test_a_database_gone_mid_run_is_one_log_line_not_a_traceback(sandbox, postgres, log_output):
    watcher = cut_off(refuse_new=True)
    sandbox.config.stories_per_feed = 300
    try:
        with pytest.raises(DatabaseError):
            ingest(sources=["guardian"], categories=["technology", "sports"], progress=watcher)
    finally:
        watcher.restore()

    written = log_output.getvalue()
    errors = [line for line in written.splitlines() if "ERROR" in line]
    assert len(errors) == 1, written
    assert "could not be stored" in errors[0]
    assert "Traceback" not in written


def test_an_ingest_of_another_database_on_the_server_is_not_this_one(postgres):
    killed = left_running()
    db = connection.settings_dict
    other_database = {"host": db["HOST"], "port": db["PORT"], "user": db["USER"], "dbname": "postgres"}
    with psycopg.connect(**other_database, autocommit=True) as other:
        other.execute("SELECT pg_advisory_lock(%s)", [INGEST_LOCK_ID])

        Client().get("/health/ready/")

    killed.refresh_from_db()
    assert killed.status == "interrupted"


@pytest.mark.django_db(transaction=True)
def test_a_database_error_after_a_stop_ends_the_run_interrupted(sandbox, postgres):
    """SIGTERM mid-query: psycopg cancels the query, and the cancel may come back as a database error in place of
    the KeyboardInterrupt. That error is the stop's, not a bad batch's: the run ends, interrupted."""
    db = connection.settings_dict
    locker = psycopg.connect(host=db["HOST"], port=db["PORT"], user=db["USER"], dbname=db["NAME"])

    class StopSwallowed:
        def page(self, source, page, result):
            record_stop()  # the signal's KeyboardInterrupt, lost in the driver: the next statement fails instead
            locker.execute("LOCK TABLE articles_article IN ACCESS EXCLUSIVE MODE")
            with connection.cursor() as cursor:
                cursor.execute("SET lock_timeout = '100ms'")

        def done(self, source, result):
            pass

    sandbox.config.stories_per_feed = 300
    try:
        with stop_on_ctrl_c_and_sigterm(), pytest.raises(KeyboardInterrupt):
            ingest(sources=["guardian"], categories=["technology", "sports"], progress=StopSwallowed())
    finally:
        locker.close()
        with connection.cursor() as cursor:
            cursor.execute("RESET lock_timeout")

    run = IngestRun.objects.get()
    assert run.status == "interrupted"
    assert run.skipped == 0  # no article taken for one the database refused
