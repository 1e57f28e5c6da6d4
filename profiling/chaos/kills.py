"""
An ingest killed mid-run: kill -TERM (docker stop, the scheduler stopping) and kill -9 (the OOM killer, a host
gone) of a `fetch_articles` process paced slow enough to be killed half-way. Every row committed before the
signal must be there after it, the next run must succeed and fetch the rest, and the killed run must end
`interrupted` (SIGTERM: by itself; kill -9: marked by the next run, whose lock shows the process gone), with a
request count no less than the requests the sandbox saw (the daily budget is never under-counted).
"""

import re
import signal

import psycopg

from articles.locks import INGEST_LOCK_ID
from articles.models import IngestRun

from .harness import Ingest, article_urls, clear_articles, next_run_id, runs, wait_for
from .table import Row

# Slow: the Guardian one request every quarter of a second, ten stories a page, 2,200 stories in all.
PACED_SOURCE = "guardian"
PACED = {"GUARDIAN_REQUESTS_PER_SECOND": "4", "GUARDIAN_PAGE_SIZE": "10"}
ROWS_BEFORE_THE_FAULT = 60
INTERRUPTED = getattr(IngestRun.Status, "INTERRUPTED", None)


def run(context):
    rows = []
    for name, number in (
        ("kill -TERM of fetch_articles mid-run", signal.SIGTERM),
        ("kill -9 of fetch_articles mid-run", signal.SIGKILL),
    ):
        context.report(f"kills: {name}")
        rows.append(
            interrupted_ingest(
                context,
                name,
                context.database_url,
                fault=lambda ingest, number=number: ingest.signal(number),
                after=lambda: None,
            )
        )
    return rows


def interrupted_ingest(context, name, database_url, *, fault, after, limit=""):
    """Start a paced ingest into `database_url`, call `fault(ingest)` once it has stored some rows, wait for it to
    end, call `after()` (a database stopped: start it), then run the next ingest; a Row of what each saw.

    The run of the paced source must end `interrupted` (once IngestRun has that status): recorded by the run
    itself on SIGTERM, by the next run when the process could not (kill -9, its database gone). `limit`: the
    README's honest limit that excuses rows lost (a crash)."""
    clear_articles(database_url)
    context.sandbox.reset(context.sandbox.config)
    first = next_run_id(database_url)
    ingest = Ingest(context.environ(DATABASE_URL=database_url, **PACED), "-v", "0")
    try:
        wait_for(
            lambda: not ingest.running or len(article_urls(database_url) or ()) >= ROWS_BEFORE_THE_FAULT,
            f"{ROWS_BEFORE_THE_FAULT} rows stored",
        )
        before = article_urls(database_url)
        if not ingest.running:
            ingest.wait()
            return Row(name, happened=f"the run ended before the fault: {ingest.outcome()}", failures=["no fault"])
        fault(ingest)
        ingest.wait()
    finally:
        if ingest.running:
            ingest.process.kill()
            ingest.wait()
    after()
    log = context.log_dir / (re.sub(r"\W+", "-", name.lower()).strip("-") + ".log")
    log.write_text(f"$ fetch_articles: {ingest.outcome()}\n{ingest.stdout}{ingest.stderr}")
    kept = article_urls(database_url)
    sent = len(context.sandbox.requests)
    killed = runs(database_url, first)
    counted = sum(requests for _, _, _, requests in killed)

    wait_for(lambda: _lock_is_free(database_url), "the killed run's ingest lock to be let go")
    following = Ingest(context.environ(DATABASE_URL=database_url), "-v", "0")
    following.wait()
    final = article_urls(database_url)
    seen = [run for run in runs(database_url, first) if run[0] in {r[0] for r in killed}]
    paced = dict((source, status) for _, source, status, _ in seen).get(PACED_SOURCE)

    row = Row(
        name,
        happened=f"{ingest.outcome()}; {len(before)} rows before, {len(kept)} after; killed run: {_statuses(killed)}, "
        f"after the next run (exit {following.process.returncode}, {len(final)} rows): {_statuses(seen)}; "
        f"requests counted {counted} of {sent}",
        requests=sent,
        rows_lost=len(before - kept),
        limit=limit if before - kept else "",
    )
    row.expect(not ingest.crashed, f"it crashed with a traceback (in {log})")
    errors, lines = ingest.logged_errors
    if errors:
        row.happened += f"; on its way out it logged {errors} ERROR(s) with tracebacks, {lines} lines ({log.name})"
    row.expect(limit or row.rows_lost == 0, f"{row.rows_lost} committed rows lost")
    row.expect(following.process.returncode == 0, "the next run failed")
    row.expect(final >= before, "the next run did not restore every row")
    if INTERRUPTED:  # a run whose process died is marked by the next run; SIGTERM ends one as interrupted itself
        row.expect(paced == INTERRUPTED, f"the killed {PACED_SOURCE} run is {paced}, not {INTERRUPTED}")
        row.expect(all(status != IngestRun.Status.RUNNING for _, _, status, _ in seen), "a run is still running")
        row.expect(counted >= sent, f"{sent - counted} requests not counted against the budget")
    return row


def _statuses(rows):
    return ", ".join(f"{source} {status}" for _, source, status, _ in rows)


def _lock_is_free(database_url):
    with psycopg.connect(database_url, connect_timeout=5, autocommit=True) as db:
        if db.execute("SELECT pg_try_advisory_lock(%s)", [INGEST_LOCK_ID]).fetchone()[0]:
            db.execute("SELECT pg_advisory_unlock(%s)", [INGEST_LOCK_ID])
            return True
    return False
