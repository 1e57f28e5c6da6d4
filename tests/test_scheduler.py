"""deploy/scheduler.sh, compose's scheduler, with a stand-in for `python` that records what it was asked to run."""

import os
import signal
import subprocess
import time
from pathlib import Path

import pytest
from django.conf import settings

SCRIPT = Path(settings.BASE_DIR) / "deploy" / "scheduler.sh"
STAND_IN = '#!/bin/sh\necho "$*" >> "$RUNS"\n'


def start(tmp_path, **variables):
    (tmp_path / "bin").mkdir()
    python = tmp_path / "bin" / "python"
    python.write_text(STAND_IN)
    python.chmod(0o755)
    env = {**os.environ, "PATH": f"{tmp_path / 'bin'}:{os.environ['PATH']}", "RUNS": str(tmp_path / "runs")}
    return subprocess.Popen(
        ["/bin/bash", str(SCRIPT)], env={**env, **variables}, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )


def runs_once_there_are(tmp_path, count):
    runs = tmp_path / "runs"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if runs.exists() and len(lines := runs.read_text().splitlines()) >= count:
            return lines
        time.sleep(0.2)
    raise AssertionError(f"fewer than {count} runs in 60 s")


def test_it_fetches_every_source_then_the_feeds_alone_on_their_interval(tmp_path):
    scheduler = start(tmp_path, FETCH_INTERVAL="3600", FEEDS_INTERVAL="1")
    try:
        runs = runs_once_there_are(tmp_path, 3)
    finally:
        scheduler.send_signal(signal.SIGTERM)
        stdout, _ = scheduler.communicate(timeout=30)

    assert runs[0] == "manage.py fetch_articles --verbosity 0"
    assert set(runs[1:]) == {"manage.py fetch_articles --verbosity 0 --source feeds"}
    assert "fetch_articles every 3600s, the feeds alone every 1s" in stdout
    assert (scheduler.returncode, stdout.splitlines()[-1]) == (0, "scheduler: stopped")


@pytest.mark.parametrize("name", ["FETCH_INTERVAL", "FEEDS_INTERVAL"])
def test_an_interval_that_is_no_number_stops_it_with_one_sentence(tmp_path, name):
    scheduler = start(tmp_path, **{name: "15m"})
    _, stderr = scheduler.communicate(timeout=30)

    assert scheduler.returncode == 1
    assert stderr == f"Configuration error: {name} must be a whole number of seconds, not '15m'.\n"
    assert not (tmp_path / "runs").exists()
