"""
Three `fetch_articles` started at once, as overlapping cron jobs or a scheduler's retries start them: one runs, the
two others find the ingest lock held, say so in one line and exit 0 having done nothing (README.md, "Fetching
articles": one at a time). No row is lost or stored twice: a `--full` run after them finds nothing left to store.
"""

import psycopg

from .harness import Ingest, article_urls, clear_articles, next_run_id, runs
from .table import Row

# The Guardian paced so that the run that holds the lock lasts about ten seconds: the three overlap however slowly
# a loaded machine starts them.
PACED = {"GUARDIAN_REQUESTS_PER_SECOND": "4", "GUARDIAN_PAGE_SIZE": "50"}
LOCKED = "Another fetch_articles run holds the ingest lock; this one did nothing."
AT_ONCE = 3


def run(context):
    name = f"{AT_ONCE} fetch_articles at once"
    context.report(f"locks: {name}")
    database_url = context.database_url
    clear_articles(database_url)
    context.sandbox.reset(context.sandbox.config)
    first = next_run_id(database_url)
    ingests = [Ingest(context.environ(**PACED), "-v", "0") for _ in range(AT_ONCE)]
    for ingest in ingests:
        ingest.wait()
    stored = article_urls(database_url)
    recorded = runs(database_url, first)
    sent = len(context.sandbox.requests)
    following = Ingest(context.environ(), "-v", "0", "--full")
    following.wait()
    final = article_urls(database_url)

    ran = [ingest for ingest in ingests if LOCKED not in ingest.stderr]
    refused = [ingest for ingest in ingests if ingest.stderr.strip() == LOCKED]
    doubled = _doubled(database_url)
    said = sorted({ingest.outcome() for ingest in refused})
    row = Row(
        name,
        happened=f"{len(ran)} ran ({', '.join(f'exit {i.process.returncode}' for i in ran)}), {len(stored)} rows, "
        f"runs recorded: {', '.join(f'{source} {status}' for _, source, status, _ in recorded)}; "
        f"{len(refused)} refused: {' / '.join(said)}; a --full run after them: exit {following.process.returncode}, "
        f"{len(final)} rows",
        requests=sent,
        rows_lost=len(final - stored),
    )
    row.expect(len(ran) == 1 and ran[0].process.returncode == 0, f"{len(ran)} ran (one should, and succeed)")
    row.expect(
        len(refused) == AT_ONCE - 1 and all(ingest.process.returncode == 0 for ingest in refused),
        f"{len(refused)} said only {LOCKED!r} and exited 0 ({AT_ONCE - 1} should)",
    )
    row.expect(len(recorded) == 2 and {status for *_, status, _ in recorded} == {"ok"}, "not one ok run per source")
    row.expect(not any(ingest.crashed for ingest in ingests), "a traceback")
    row.expect(following.process.returncode == 0, f"the --full run after them failed: {following.outcome()}")
    row.expect(row.rows_lost == 0, f"{row.rows_lost} rows the run did not store")
    row.expect(doubled == 0, f"{doubled} rows stored twice")
    return [row]


def _doubled(database_url):
    """Rows beyond one per URL (the unique constraint's promise, checked as the database holds it)."""
    with psycopg.connect(database_url, connect_timeout=5) as db:
        return db.execute("SELECT count(*) - count(DISTINCT url) FROM articles_article").fetchone()[0]
