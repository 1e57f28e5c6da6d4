"""
PostgreSQL gone, on a throwaway cluster (never the main one, which others test against): stopped as an operator
stops it and crashed (`-m immediate`) mid-ingest, then unreachable while the API is under load.

Mid-ingest, the rows committed before the stop must be there when it is back (after a crash, the README's honest
limit: the last batches of asynchronous commit may be lost, and the next run fetches them again), and the next
run must succeed. Under load, cached pages are still served and an uncached request answers 503 with
Retry-After, never 500; once the database is back, the API answers from it again.
"""

import psycopg
import requests

from profiling.gunicorn_process import GunicornProcess

from .cache import PAGES, limitless
from .harness import Load, create_key, manage, wait_for
from .kills import interrupted_ingest
from .servers import Cluster, RedisServer
from .table import Row

PORT = 5499
REDIS_PORT = 6391
CRASH_LIMIT = "a crash may lose the last batches committed without waiting for the disk; the next run refetches them"


def run(context):
    context.report("database: creating and migrating a throwaway cluster on port 5499")
    with Cluster(PORT) as cluster:
        environ = context.environ(DATABASE_URL=cluster.url)
        migrated = manage(environ, "migrate", "--no-input", "-v", "0")
        if migrated.returncode:
            raise RuntimeError(f"migrate failed: {migrated.stderr.strip()[-300:]}")
        rows = []
        for name, mode, limit in (
            ("PostgreSQL stopped mid-ingest", "fast", ""),
            ("PostgreSQL crashed mid-ingest", "immediate", CRASH_LIMIT),
        ):
            context.report(f"database: {name}")
            row = interrupted_ingest(
                context,
                name,
                cluster.url,
                fault=lambda ingest, mode=mode: cluster.stop(mode),
                after=cluster.start,
                limit=limit,
            )
            rows.append(row)
        context.report("database: PostgreSQL unreachable under API load")
        rows.append(_under_load(context, cluster, environ))
    return rows


def _under_load(context, cluster, environ):
    key = create_key(environ)
    with psycopg.connect(cluster.url) as db:
        article_id = db.execute("SELECT min(id) FROM articles_article").fetchone()[0]
    cached = [*PAGES, f"/api/articles/{article_id}/"]
    headers = {"X-Api-Key": key}
    with (
        RedisServer(REDIS_PORT, context.log_dir) as redis,
        GunicornProcess(
            context.log_dir, {**limitless(context), "DATABASE_URL": cluster.url, "REDIS_URL": redis.url},
            ready_path="/health/ready/",
        ) as server,
    ):  # fmt: skip
        for path in cached * 2:  # each page stored, and the key's state remembered
            requests.get(server.base_url + path, headers=headers, timeout=60).raise_for_status()
        cluster.stop("fast")
        try:
            with Load(server.base_url, lambda n: _path(n, cached), headers) as load:
                load.wait_for_more(150, "with the database stopped")
            ready = requests.get(server.base_url + "/health/ready/", timeout=60)
        finally:
            cluster.start()
        wait_for(
            lambda: requests.get(f"{server.base_url}/api/articles/?offset=1", headers=headers, timeout=60).ok,
            "the API to answer from the database again",
        )
    unexpected = (
        load.count(kind="cached") - load.count(kind="cached", status=200)
        + load.count(kind="uncached") - load.count(kind="uncached", status=503)
    )  # fmt: skip
    row = Row(
        "PostgreSQL unreachable under API load",
        happened=f"cached pages: {load.describe('cached')}; uncached: {load.describe('uncached')} "
        f"({load.without_retry_after} without Retry-After); /health/ready/ {ready.status_code}; "
        "answers from the database again once it is back",
        requests=load.sent + 1,
        server_errors=load.server_errors - load.count(kind="uncached", status=503) + load.without_retry_after,
    )
    row.expect(unexpected == 0, f"{unexpected} answers other than 200 (cached) and 503 (uncached)")
    row.expect(row.server_errors == 0, f"{row.server_errors} unexpected 5xx: {load.problems}")
    row.expect(ready.status_code == 503, f"/health/ready/ answered {ready.status_code}, not 503")
    return row


def _path(number, cached):
    if number % 3 == 0:
        return "uncached", f"/api/articles/?offset={1000 + number}"  # a page nobody asked for yet
    return "cached", cached[number % len(cached)]
