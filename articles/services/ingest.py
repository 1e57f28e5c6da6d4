"""
The ingest: the only writer of Articles from upstream data.

`ingest()` fetches the requested sources concurrently, one thread per source,
while this thread stores each page as it arrives, so that one source failing
never loses the pages already stored, of its own or of the other source. The
fetch threads never touch the database. Each source's part of a run is one
IngestRun row, whose request count is what the daily budget is measured with.

Writes are an upsert keyed on the canonical URL, so a second run over the same
data creates nothing. An article belongs to the upstream that first stored it:
the same story from the other upstream counts as unchanged.
"""

import logging
import queue
import threading
import time
from contextlib import contextmanager
from dataclasses import asdict, dataclass, fields
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.db import DatabaseError, connection, transaction
from django.db.models import Max, Sum
from django.utils import timezone

from ..models import Article, IngestRun
from ..upstreams import UPSTREAMS
from ..upstreams.base import ArticleIn, BudgetSpent, UpstreamError

logger = logging.getLogger(__name__)

# Any fixed 64-bit number, the same in every process that ingests.
INGEST_LOCK_ID = 7_305_110_402_213_019
UPDATED_FIELDS = [f.name for f in fields(ArticleIn) if f.name != "url"]
QUEUE_PAGES = 16


class IngestLocked(Exception):
    """Another ingest holds the lock."""


class NoUsableSource(Exception):
    """None of the requested sources has an API key."""


@dataclass
class SourceResult:
    source: str
    status: str = IngestRun.Status.RUNNING
    requests_made: int = 0
    fetched: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0
    seconds: float = 0.0
    message: str = ""


@dataclass
class UpsertCounts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


def ingest(*, sources, categories, max_pages=None, dry_run=False, on_page=None):
    """Fetch and store every category of every source; return a SourceResult per source.

    `on_page(source, page, result)` is called after each page is stored.
    Raises NoUsableSource when no requested source has a key, and IngestLocked
    when another ingest is running (PostgreSQL only).
    """
    modules = [UPSTREAMS[source] for source in sources]
    if not any(getattr(settings, module.KEY_SETTING) for module in modules):
        names = " and ".join(module.KEY_SETTING for module in modules)
        raise NoUsableSource(f"No upstream API key is set: set {names} (see README.md).")
    with ingest_lock() as acquired:
        if not acquired:
            raise IngestLocked("Another fetch_articles run holds the ingest lock; this one did nothing.")
        return _ingest_locked(modules, categories, max_pages, dry_run, on_page or (lambda *args: None))


@contextmanager
def ingest_lock():
    """Yield whether this process may ingest: a PostgreSQL advisory lock; SQLite has no second writer to stop."""
    if connection.vendor != "postgresql":
        yield True
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s)", [INGEST_LOCK_ID])
        acquired = cursor.fetchone()[0]
    try:
        yield acquired
    finally:
        if acquired:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s)", [INGEST_LOCK_ID])


def _ingest_locked(modules, categories, max_pages, dry_run, on_page):
    results, runs, jobs = {}, {}, []
    for module in modules:
        result = results[module.SOURCE] = SourceResult(module.SOURCE)
        runs[module.SOURCE] = IngestRun.objects.create(source=module.SOURCE, dry_run=dry_run, started_at=timezone.now())
        remaining = getattr(settings, module.DAILY_REQUESTS_SETTING) - requests_made_today(module.SOURCE)
        if not getattr(settings, module.KEY_SETTING):
            result.status = IngestRun.Status.SKIPPED
            result.message = f"{module.LABEL} skipped: {module.KEY_SETTING} is not set."
        elif remaining <= 0:
            result.status = IngestRun.Status.SKIPPED
            result.message = f"{module.LABEL} skipped: {budget_spent_message(module)}"
        else:
            since = newest_published_by_category(module.SOURCE)
            jobs.append((module, module.make_client(requests_allowed=remaining), since))

    pages = queue.Queue(maxsize=QUEUE_PAGES)
    # stop[source]: its pages can no longer be stored; abandoned: nobody reads the queue any more.
    stop = {module.SOURCE: threading.Event() for module, _, _ in jobs}
    abandoned = threading.Event()
    started = time.monotonic()
    threads = [
        threading.Thread(
            target=_fetch_source,
            args=(module, client, categories, since, max_pages, pages, stop[module.SOURCE], abandoned),
            name=f"fetch-{module.SOURCE}",
            daemon=True,
        )
        for module, client, since in jobs
    ]
    for thread in threads:
        thread.start()
    try:
        _store_pages(pages, len(threads), results, stop, started, dry_run, on_page)
    finally:
        abandoned.set()
        for module, client, _ in jobs:
            results[module.SOURCE].requests_made = client.requests_made
            if results[module.SOURCE].status == IngestRun.Status.RUNNING:
                results[module.SOURCE].status = IngestRun.Status.FAILED
                results[module.SOURCE].message = f"{module.LABEL}: the run was interrupted."
        for source, run in runs.items():
            _finish_run(run, results[source])
    return list(results.values())


def _fetch_source(module, client, categories, since, max_pages, pages, stop, abandoned):
    """Fetch thread: put ("page", source, Page) items, then one ("done", source, (status, message))."""
    outcome = (IngestRun.Status.OK, "")
    try:
        for category in categories:
            for page in module.fetch_pages(client, category=category, since=since.get(category), max_pages=max_pages):
                if stop.is_set() or not _put(pages, ("page", module.SOURCE, page), abandoned):
                    return
    except BudgetSpent:
        outcome = (IngestRun.Status.OK, f"{module.LABEL} stopped early: {budget_spent_message(module)}")
    except UpstreamError as exc:
        outcome = (IngestRun.Status.FAILED, str(exc))
    except Exception as exc:  # a bug must fail this source only, and say so
        logger.exception("%s fetch crashed", module.LABEL)
        outcome = (IngestRun.Status.FAILED, f"{module.LABEL} failed unexpectedly: {type(exc).__name__}.")
    finally:
        client.close()
        _put(pages, ("done", module.SOURCE, outcome), abandoned)


def _put(pages, item, abandoned):
    """Queue `item` unless the writer has gone; whether it was queued."""
    while not abandoned.is_set():
        try:
            pages.put(item, timeout=0.2)
            return True
        except queue.Full:
            pass
    return False


def _store_pages(pages, producers, results, stop, started, dry_run, on_page):
    while producers:
        kind, source, payload = pages.get()
        result = results[source]
        if kind == "done":
            producers -= 1
            if result.status == IngestRun.Status.RUNNING:
                result.status, result.message = payload
            result.seconds = time.monotonic() - started
            continue
        if result.status != IngestRun.Status.RUNNING:
            continue  # its earlier page could not be stored; the thread is stopping
        try:
            counts = upsert_articles(payload.articles, dry_run=dry_run)
        except DatabaseError as exc:
            logger.exception("storing a %s page failed", source)
            result.status = IngestRun.Status.FAILED
            result.message = f"{source}: storing page {payload.number} of {payload.category} failed: {exc}"
            stop[source].set()
            continue
        result.fetched += payload.fetched
        result.skipped += payload.skipped
        result.created += counts.created
        result.updated += counts.updated
        result.unchanged += counts.unchanged
        on_page(source, payload, result)


def upsert_articles(articles, *, dry_run=False):
    """Insert new articles and update changed ones of the same upstream; count each kind exactly."""
    by_url = {article.url: article for article in articles}
    counts = UpsertCounts(unchanged=len(articles) - len(by_url))
    with transaction.atomic():
        stored = {row[0]: row[1:] for row in Article.objects.filter(url__in=by_url).values_list("url", *UPDATED_FIELDS)}
        to_write = []
        for url, article in by_url.items():
            row = stored.get(url)
            incoming = tuple(getattr(article, name) for name in UPDATED_FIELDS)
            if row is None:
                counts.created += 1
                to_write.append(article)
            elif row[0] != article.source or row == incoming:  # UPDATED_FIELDS[0] is "source"
                counts.unchanged += 1
            else:
                counts.updated += 1
                to_write.append(article)
        if to_write and not dry_run:
            now = timezone.now()
            Article.objects.bulk_create(
                [Article(**asdict(article), first_seen_at=now, last_updated_at=now) for article in to_write],
                update_conflicts=True,
                unique_fields=["url"],
                update_fields=[*UPDATED_FIELDS, "last_updated_at"],
            )
    return counts


def _finish_run(run, result):
    for name in ("status", "requests_made", "fetched", "created", "updated", "unchanged", "skipped", "message"):
        setattr(run, name, getattr(result, name))
    run.finished_at = timezone.now()
    run.save()


def requests_made_today(source):
    """Requests made to `source` since midnight UTC, by every run."""
    midnight = datetime.now(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
    spent = IngestRun.objects.filter(source=source, started_at__gte=midnight).aggregate(n=Sum("requests_made"))
    return spent["n"] or 0


def budget_spent_message(module):
    now = datetime.now(UTC)
    reset = (now + timedelta(days=1)).replace(hour=0, minute=0, second=0, microsecond=0)
    hours, seconds = divmod(int((reset - now).total_seconds()), 3600)
    return (
        f"the daily budget of {getattr(settings, module.DAILY_REQUESTS_SETTING)} requests "
        f"({module.DAILY_REQUESTS_SETTING}) is spent for {now:%Y-%m-%d} (UTC); "
        f"it resets at 00:00 UTC, in {hours} h {seconds // 60:02d} min."
    )


def newest_published_by_category(source):
    rows = Article.objects.filter(source=source).values("category").annotate(newest=Max("published_at"))
    return {row["category"]: row["newest"] for row in rows}
