"""
The feed crawler's benchmark (`make bench-feeds`): FEEDS feeds of ENTRIES entries each, served by the sandbox
in a process of its own with 200 ms latency per request, from HOSTS publishers' hosts (127.0.1.x), fetched
into a scratch PostgreSQL database: a first run (every entry new), then a second (every feed unchanged: 304).
"""

import time

from django.conf import settings
from django.db import connection
from django.test.utils import override_settings

from articles.models import Category, IngestRun
from feeds.models import Feed
from feeds.services.crawl import fetch_feeds

from .ingest_benchmark import scratch_database
from .sandbox import sandbox_process

FEEDS, ENTRIES, HOSTS, LATENCY_MS = 1000, 50, 50, 200
KINDS = ("rss", "atom", "json")


def subscribe(base_url, feeds, hosts):
    port = base_url.rsplit(":", 1)[1]
    categories = Category.values
    Feed.objects.bulk_create(
        Feed(
            url=f"http://127.0.1.{1 + n % hosts}:{port}/feeds/{n}.{KINDS[n % len(KINDS)]}",
            title=f"Publisher {n}",
            category=categories[n % len(categories)],
        )
        for n in range(feeds)
    )


def timed_run():
    started = time.perf_counter()
    result, counts = fetch_feeds()
    seconds = time.perf_counter() - started
    if result.status != IngestRun.Status.OK:
        raise RuntimeError(result.message)
    Feed.objects.update(next_fetch_at=None)  # due again at once, for the next run
    return seconds, result, counts


def line(name, seconds, result, counts):
    return (
        f"{name}: {seconds:.1f} s wall, {result.requests_made} requests, {counts.fetched} fetched, "
        f"{counts.not_modified} not modified, {counts.failed} failed; {result.fetched} entries "
        f"({result.created} created, {result.updated} updated): {result.fetched / seconds:,.0f} entries/s, "
        f"{counts.due / seconds:,.1f} feeds/s"
    )


def run(report, *, feeds=FEEDS, entries=ENTRIES, hosts=HOSTS):
    """Measure; call report(line) with each figure."""
    options = ["--latency-ms", str(LATENCY_MS), "--feed-entries", str(entries), "--feed-hosts", str(hosts)]
    with (
        scratch_database("_feeds_bench"),
        sandbox_process(*options) as base_url,
        override_settings(FEEDS_ALLOW_PRIVATE=True, FEEDS_MAX_ENTRIES=max(entries, 1)),
    ):
        report(
            f"{feeds} feeds x {entries} entries, {hosts} hosts, {LATENCY_MS} ms latency, "
            f"FEEDS_CONCURRENCY={settings.FEEDS_CONCURRENCY}, PostgreSQL {connection.pg_version // 10000}"
        )
        subscribe(base_url, feeds, hosts)
        report(line("first run (all new)", *timed_run()))
        report(line("second run (all unchanged)", *timed_run()))
