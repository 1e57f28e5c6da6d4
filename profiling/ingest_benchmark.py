"""
The ingest benchmark: articles per second into PostgreSQL, and what fetching both upstreams at once saves.

It runs in a scratch database (created and dropped here, beside the configured
one), against the sandbox in a process of its own, so that neither real data nor
the sandbox's own work is part of what is measured.
"""

import time
from contextlib import contextmanager

from django.db import connection
from django.test.utils import override_settings

from articles.models import Article, Category, IngestRun
from articles.services.ingest import ingest
from articles.upstreams import guardian
from profiling.sandbox import sandbox_process
from stories.models import Story

ALL_SOURCES = ["newsapi", "guardian"]
# 7 NewsAPI categories + 22 Guardian sections, one feed each: 345 stories a feed make 10,005 articles.
FEEDS = len(Category.values) + len(guardian.SECTION_CATEGORIES)
# A steady-state run: one page per category from each source (the largest category, 8 Guardian sections
# of 6 stories, fits one page of 50).
STEADY_STATE_STORIES_PER_FEED = 6


@contextmanager
def scratch_database(suffix="_scratch"):
    """A database named after the configured one plus `suffix` (not the test suite's), created and dropped."""
    old_name, test_settings = connection.settings_dict["NAME"], connection.settings_dict["TEST"]
    connection.settings_dict["TEST"] = {**test_settings, "NAME": f"{old_name}{suffix}"}
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        yield
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
        connection.settings_dict["TEST"] = test_settings


def timed_ingest(sources, *, full=False):
    started = time.perf_counter()
    results = ingest(sources=sources, categories=Category.values, full=full)
    seconds = time.perf_counter() - started
    failed = [r.message for r in results if r.status != IngestRun.Status.OK]
    if failed:
        raise RuntimeError("; ".join(failed))
    return seconds, sum(r.fetched for r in results), sum(r.created for r in results)


def upstream_settings(base_url):
    return override_settings(
        NEWSAPI_BASE_URL=base_url,
        GUARDIAN_BASE_URL=base_url,
        NEWSAPI_KEY="benchmark",
        GUARDIAN_API_KEY="benchmark",
        GUARDIAN_REQUESTS_PER_SECOND=0,  # pacing lifted: it would measure the pacing, not the ingest
        NEWSAPI_DAILY_REQUESTS=10**9,
        NEWSAPI_MAX_RESULTS=0,  # the sandbox serves every NewsAPI result, as a paid plan does
        GUARDIAN_DAILY_REQUESTS=10**9,
    )


def clear():
    Story.objects.all().delete()  # first: articles without a story are deleted without recounting one
    Article.objects.all().delete()
    IngestRun.objects.all().delete()


def run(articles, report, *, latency_ms=0):
    """Measure; call report(line) with each figure. `latency_ms`: the sandbox's delay on each answer of the first
    runs (0, the default, measures the ingest's own ceiling; a real upstream answers in tens to hundreds of ms)."""
    per_feed = -(-articles // FEEDS)
    first_run = f"first run ({latency_ms} ms latency)" if latency_ms else "first run"
    with scratch_database():
        options = ["--latency-ms", str(latency_ms), "--stories-per-feed", str(per_feed), "--spacing", "60"]
        with sandbox_process(*options, "--newsapi-max-results", "0") as base_url, upstream_settings(base_url):
            timed_ingest(ALL_SOURCES)  # warm-up: connections, imports, the sandbox's first answers
            rates = {}
            for grouping in (False, True):  # story grouping's cost, in the same run (the re-run is with it on)
                clear()
                with override_settings(STORIES_GROUPING=grouping):
                    seconds, fetched, created = timed_ingest(ALL_SOURCES)
                rates[grouping] = fetched / seconds
                report(
                    f"{first_run}, story grouping {'on' if grouping else 'off'}: {fetched} articles fetched, "
                    f"{created} rows created in {seconds:.2f} s: {fetched / seconds:,.0f} articles/s"
                )
            report(f"{first_run} with story grouping: {rates[True] / rates[False]:.2f} x the rate without")
            seconds, fetched, created = timed_ingest(ALL_SOURCES, full=True)  # the same 10,000 again
            report(
                f"re-run: {fetched} articles fetched, {created} rows created in {seconds:.2f} s: "
                f"{fetched / seconds:,.0f} articles/s"
            )

        options = ["--latency-ms", "200", "--stories-per-feed", str(STEADY_STATE_STORIES_PER_FEED)]
        with sandbox_process(*options) as base_url, upstream_settings(base_url):
            walls = {}
            for source in ALL_SOURCES:
                clear()
                walls[source], _, _ = timed_ingest([source])
            clear()
            concurrent, _, _ = timed_ingest(ALL_SOURCES)
            clear()
            with override_settings(STORIES_GROUPING=False):
                ungrouped, _, _ = timed_ingest(ALL_SOURCES)
        sequential = sum(walls.values())
        report(
            f"200 ms latency, one page per category: newsapi alone {walls['newsapi']:.2f} s, "
            f"guardian alone {walls['guardian']:.2f} s, sum {sequential:.2f} s; "
            f"both at once {concurrent:.2f} s = {concurrent / sequential:.2f} x the sum"
        )
        report(
            f"200 ms latency, one page per category, both at once: story grouping on {concurrent:.2f} s, "
            f"off {ungrouped:.2f} s: {ungrouped / concurrent:.2f} x the rate without"
        )
