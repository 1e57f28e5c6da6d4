"""`manage.py migrate_once`, the image's entrypoint step: wait for the database, then migrate under a lock."""

import threading
import time
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connections

from articles.locks import MIGRATE_LOCK_ID
from conftest import manage


def migrate_once():
    stdout = StringIO()
    call_command("migrate_once", stdout=stdout)
    return stdout.getvalue()


@pytest.mark.django_db
def test_it_applies_the_migrations():
    assert "No migrations to apply." in migrate_once()


def test_it_waits_while_another_process_migrates(advisory_lock_held_elsewhere):
    other = advisory_lock_held_elsewhere(MIGRATE_LOCK_ID)
    outputs = []

    def replica():
        try:
            outputs.append(migrate_once())
        finally:
            connections.close_all()

    thread = threading.Thread(target=replica)
    thread.start()
    time.sleep(1)
    assert thread.is_alive(), "it migrated while another process held the lock"

    other.release()
    thread.join(timeout=30)
    assert "No migrations to apply." in outputs[0]


def test_it_says_when_the_database_does_not_answer():
    started = time.monotonic()
    result = manage("migrate_once", "--wait", "1", DEBUG="true", DATABASE_URL="postgres://nobody@127.0.0.1:1/none")

    assert result.returncode == 1
    assert time.monotonic() - started >= 1, "it gave up without waiting"
    assert "CommandError: The database did not answer in 1 s: " in result.stderr
