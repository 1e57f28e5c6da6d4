"""`manage.py fetch_articles` as an operator runs it: output, exit status, arguments."""

import os
import signal
import subprocess
import sys
from io import StringIO

import pytest
from django.conf import settings as django_settings
from django.core.management import CommandError, call_command

from articles.models import Article, IngestRun
from conftest import GUARDIAN_TEST_KEY, NEWSAPI_TEST_KEY, manage
from profiling.sandbox import sandbox_process

pytestmark = pytest.mark.django_db


def fetch(*args):
    stdout, stderr = StringIO(), StringIO()
    call_command("fetch_articles", *args, stdout=stdout, stderr=stderr)
    return stdout.getvalue(), stderr.getvalue()


def fetch_failing(*args):
    stdout, stderr = StringIO(), StringIO()
    with pytest.raises(CommandError) as error:
        call_command("fetch_articles", *args, stdout=stdout, stderr=stderr)
    return stdout.getvalue(), stderr.getvalue(), error.value


def test_it_prints_a_summary_table(sandbox):
    stdout, _ = fetch("--category", "technology")

    header, *rows = stdout.splitlines()
    assert header.split() == [
        "source",
        "status",
        "requests",
        "fetched",
        "created",
        "updated",
        "unchanged",
        "skipped",
        "seconds",
    ]
    cells = {row.split()[0]: row.split() for row in rows}
    assert set(cells) == {"newsapi", "guardian"}
    assert cells["guardian"][1] == "ok"
    # Every Guardian story is a Guardian row, whichever upstream stored it first (created, or taken over: updated).
    created, updated = int(cells["guardian"][4]), int(cells["guardian"][5])
    assert created + updated == Article.objects.filter(source="guardian").count() == 10


def test_it_reports_progress_per_source_and_page_on_stderr(sandbox):
    _, stderr = fetch("--category", "technology")

    assert "newsapi: technology page 1: 10 fetched" in stderr
    assert "guardian: technology page 1: 10 fetched" in stderr


def test_verbosity_zero_prints_only_the_summary(sandbox):
    stdout, stderr = fetch("--category", "technology", "-v", "0")

    assert stderr == ""
    assert stdout.startswith("source")


def test_source_and_category_choose_what_is_fetched(sandbox):
    fetch("--source", "guardian", "--category", "science", "--category", "health")

    assert sandbox.requests_to("newsapi") == []
    assert set(Article.objects.values_list("category", flat=True)) == {"science", "health"}
    assert IngestRun.objects.get().source == "guardian"


def test_max_pages_limits_pages_per_category(sandbox):
    sandbox.config.stories_per_feed = 120  # entertainment: 8 sections, 960 stories

    fetch("--source", "guardian", "--category", "entertainment", "--max-pages", "2")

    assert len(sandbox.requests_to("guardian")) == 2
    assert Article.objects.count() == 100


def test_dry_run_says_so_and_stores_nothing(sandbox):
    stdout, _ = fetch("--dry-run", "--category", "technology")

    assert stdout.startswith("Dry run: nothing was stored")
    assert Article.objects.count() == 0


def test_a_failed_source_exits_1_and_keeps_the_other(sandbox):
    sandbox.set_fault("newsapi", "401")

    _, stderr, error = fetch_failing("--category", "technology")

    assert error.returncode == 1
    assert str(error) == "newsapi failed; what could be stored was stored."
    assert "NewsAPI rejected the API key (HTTP 401" in stderr
    assert "check NEWSAPI_KEY." in stderr
    assert "Traceback" not in stderr
    assert Article.objects.filter(source="guardian").count() == 10


def test_a_missing_key_is_a_warning_and_exit_0(sandbox, settings):
    settings.NEWSAPI_KEY = ""

    _, stderr = fetch("--category", "technology")

    assert "NewsAPI skipped: NEWSAPI_KEY is not set." in stderr


def test_no_key_at_all_exits_1_naming_both_variables(sandbox, settings):
    settings.NEWSAPI_KEY = settings.GUARDIAN_API_KEY = ""

    _, _, error = fetch_failing()

    assert error.returncode == 1
    assert str(error) == "No upstream API key is set: set NEWSAPI_KEY and GUARDIAN_API_KEY (see README.md)."


def test_a_running_ingest_makes_a_second_one_do_nothing(sandbox, ingest_lock_held_elsewhere):
    stdout, stderr = fetch()

    assert stdout == ""
    assert stderr.strip() == "Another fetch_articles run holds the ingest lock; this one did nothing."


def test_verbosity_zero_keeps_the_retries_out_of_the_log(sandbox, log_output):
    sandbox.set_fault("guardian", "500", times=1)

    fetch("--category", "technology", "-v", "0")
    quiet = log_output.getvalue()
    sandbox.set_fault("guardian", "500", after=len(sandbox.requests_to("guardian")), times=1)
    fetch("--category", "technology", "-v", "1")

    assert quiet == ""
    assert "The Guardian answered 500; retried after" in log_output.getvalue()


def test_a_spent_budget_is_a_warning_saying_when_it_resets(sandbox, settings):
    settings.GUARDIAN_DAILY_REQUESTS = 1
    fetch("--category", "technology")

    _, stderr = fetch("--category", "technology")

    assert "The Guardian skipped: the daily budget of 1 requests (GUARDIAN_DAILY_REQUESTS) is spent for" in stderr
    assert "it resets at 00:00 UTC" in stderr


def test_a_category_given_twice_is_fetched_once(sandbox):
    fetch("--source", "guardian", "--category", "sports", "--category", "sports")

    assert len(sandbox.requests_to("guardian")) == 1


def test_no_key_is_stored_in_an_ingest_run(sandbox):
    sandbox.set_fault("guardian", "redirect")
    sandbox.set_fault("newsapi", "401")

    fetch_failing("--category", "technology")

    stored = " ".join(str(value) for row in IngestRun.objects.values() for value in row.values())
    assert "check NEWSAPI_KEY" in stored
    assert "api-key=***" in stored
    assert NEWSAPI_TEST_KEY not in stored
    assert GUARDIAN_TEST_KEY not in stored


@pytest.mark.parametrize("stop", [signal.SIGINT, signal.SIGTERM], ids=["ctrl-c", "sigterm"])
def test_ctrl_c_or_sigterm_stops_with_one_line_and_keeps_what_was_stored(tmp_path, stop):
    env = {"DEBUG": "true", "DATABASE_URL": f"sqlite:///{tmp_path}/db.sqlite3"}
    assert manage("migrate", "-v", "0", **env).returncode == 0
    with sandbox_process("--latency-ms", "400", "--stories-per-feed", "5") as base_url:
        process = subprocess.Popen(
            [sys.executable, "manage.py", "fetch_articles", "--source", "newsapi"],
            cwd=django_settings.BASE_DIR,
            env={"PATH": os.environ["PATH"], "ENV_FILE": "", "NEWSAPI_BASE_URL": base_url, "NEWSAPI_KEY": "k", **env},
            stderr=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        lines = (line for line in iter(process.stderr.readline, "") if " INFO " not in line)  # not items skipped
        first_page = next(lines)  # after the first page is stored
        process.send_signal(stop)
        stdout, stderr = process.communicate(timeout=30)

    assert first_page.startswith("newsapi: business page 1: 5 fetched")
    assert process.returncode == 130
    assert [line for line in stderr.splitlines() if " INFO " not in line] == [
        "CommandError: Interrupted: the pages stored before it are kept."
    ]
    heading, row = stdout.splitlines()  # the summary of what it stored before it stopped
    assert heading.split()[:4] == ["source", "status", "requests", "fetched"]
    assert row.split()[:2] == ["newsapi", "interrupted"]
    probe = "from articles.models import Article, IngestRun; print(Article.objects.count(), IngestRun.objects.get())"
    stored, run = manage("shell", "--no-imports", "-c", probe, **env).stdout.split(" ", 1)
    assert int(stored) > 0  # the first page (less any [Removed] placeholder)
    assert run.strip().endswith("interrupted")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--source", "bbc"],
            "argument --source: invalid choice: 'bbc' (choose from 'newsapi', 'guardian', 'feeds', 'all')",
        ),
        (["--category", "weather"], "argument --category: invalid choice: 'weather'"),
        (["--max-pages", "0"], "argument --max-pages: must be a whole number of at least 1, not '0'."),
        (["--max-pages", "two"], "argument --max-pages: must be a whole number of at least 1, not 'two'."),
        (["--frobnicate"], "unrecognized arguments: --frobnicate"),
    ],
)
def test_bad_arguments_exit_2_with_one_clear_line(args, message):
    completed = manage("fetch_articles", *args, DEBUG="true")

    assert completed.returncode == 2
    assert message in completed.stderr
    assert "Traceback" not in completed.stderr


@pytest.mark.parametrize(
    ("database_url", "reason"),
    [
        ("sqlite:///{tmp}/never-migrated.sqlite3", "(no such table: articles_ingestrun)"),
        ("postgres://nobody@127.0.0.1:1/news", "connection failed"),
    ],
)
def test_an_unusable_database_is_one_clear_line(tmp_path, database_url, reason):
    completed = manage("fetch_articles", DEBUG="true", DATABASE_URL=database_url.format(tmp=tmp_path), NEWSAPI_KEY="k")

    assert completed.returncode == 1
    assert completed.stderr.startswith("CommandError: The database cannot be used (")
    assert reason in completed.stderr
    assert completed.stderr.strip().endswith("is it running and migrated (python manage.py migrate)?")
    assert "Traceback" not in completed.stderr
