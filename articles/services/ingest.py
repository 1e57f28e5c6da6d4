"""
The ingest, the only writer of Articles from upstream data: a fetch thread per source, and this thread storing
each page as it arrives (`article_writer.upsert_articles`), so that one source failing never loses the pages
already stored. The fetch threads never touch the database: before each request, one waits until this thread has
counted it in the source's IngestRun row (the daily budget), so that a killed run is never under-counted.
"""

import functools
import logging
import queue
import threading
import time
from dataclasses import asdict

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from newsproject.text import first_line

from ..models import RUN_COUNTERS, IngestRun
from ..selectors import requests_made_today, since_by_category
from ..signals import send_articles_changed_on_commit
from ..upstreams import UPSTREAMS
from ..upstreams.base import CONNECT_TIMEOUT, BudgetSpent, UpstreamError
from .article_writer import (
    STORE_ERRORS,
    commit_without_waiting_for_the_disk,
    database_answers,
    upsert_articles,
    upsert_one_by_one,
)
from .runs import NoProgress, SourceResult, budget_spent_message, finish_run, ingest_lock, skip_reason
from .stopping import raise_if_stopping

logger = logging.getLogger(__name__)

QUEUE_PAGES = 16
# Requests counted in the database ahead of those sent: each count is a commit the fetch thread waits for, and
# counting one request at a time cost the benchmark a quarter of its speed (docs/BENCHMARKS.md). A killed run
# is over-counted by up to COUNTED_AHEAD - 1 requests, never under-counted.
COUNTED_AHEAD = 4


class NoUsableSource(Exception):
    """None of the requested sources has an API key."""


class RunAbandoned(Exception):
    """The storing thread has stopped: a fetch thread must send nothing more."""


def ingest(*, sources, categories, max_pages=None, dry_run=False, full=False, progress=None):
    """Fetch and store every category of every source; return a SourceResult per source.

    A category starts where the last run that fetched it to the end started (less selectors.SINCE_MARGIN),
    or with `full`, at the upstream's first-run window. `progress.page(source, page, result)` is called after
    each page is stored, and `progress.done(source, result)` when a source has finished. Raises NoUsableSource
    when no requested source has a key, and IngestLocked when another ingest is running (PostgreSQL only).
    """
    upstreams = [UPSTREAMS[source] for source in sources]
    if not any(upstream.key for upstream in upstreams):
        names = " and ".join(upstream.key_setting for upstream in upstreams)
        raise NoUsableSource(f"No upstream API key is set: set {names} (see README.md).")
    with ingest_lock():
        run = _Run(categories=categories, max_pages=max_pages, dry_run=dry_run, progress=progress or NoProgress())
        for upstream in upstreams:
            run.prepare(upstream, since={} if full else since_by_category(upstream.source))
        return run.execute()


class _Run:
    """One ingest: a fetch thread per source puts what it gets on a queue; this thread stores it.

    Queue items are (kind, source, payload): ("page", s, Page), ("category", s, name) once a category is fetched
    to the end, ("count", s, (number, Event)) before each request, and ("done", s, (status, message)) last.
    """

    def __init__(self, *, categories, max_pages, dry_run, progress):
        self.categories = categories
        self.max_pages = max_pages
        self.dry_run = dry_run
        self.progress = progress
        self.results, self.rows, self.jobs = {}, {}, []
        self.stops = {}  # per source: set when its pages can no longer be stored
        self.clients, self.counted = {}, {}  # per source: the requests its IngestRun row counts
        self.fetching = set()  # the sources whose fetch thread has not said it is done
        self.staged = {} if dry_run else None
        self.queue = queue.Queue(maxsize=QUEUE_PAGES)
        self.abandoned = threading.Event()  # nobody reads the queue any more

    def prepare(self, upstream, *, since):
        source = upstream.source
        result = self.results[source] = SourceResult(source)
        self.rows[source] = IngestRun.objects.create(source=source, dry_run=self.dry_run, started_at=timezone.now())
        remaining = upstream.daily_requests - requests_made_today(source)
        if reason := skip_reason(upstream, remaining):
            result.status, result.message = IngestRun.Status.SKIPPED, reason
        else:
            client = upstream.make_client(
                requests_allowed=remaining, before_request=functools.partial(self._wait_until_counted, source)
            )
            self.jobs.append((upstream, client, since))
            self.clients[source], self.counted[source] = client, 0
            self.fetching.add(source)
            self.stops[source] = threading.Event()

    def execute(self):
        started = time.monotonic()
        for job in self.jobs:
            threading.Thread(target=self._fetch, args=job, name=f"fetch-{job[0].source}", daemon=True).start()
        try:
            self._store(started)
        finally:
            self.abandoned.set()
            for upstream, client, _ in self.jobs:
                result = self.results[upstream.source]
                # A fetch thread still going may have passed its last check for `abandoned`: one more request.
                sent = client.requests_made + (upstream.source in self.fetching)
                result.requests_made = min(sent, self.counted[upstream.source])
                if result.status == IngestRun.Status.RUNNING:
                    result.status = IngestRun.Status.INTERRUPTED
                    result.message = f"{upstream.label}: the run was interrupted (Ctrl-C or SIGTERM)."
            for source, row in self.rows.items():
                finish_run(row, self.results[source])
        return list(self.results.values())

    def _fetch(self, upstream, client, since):
        """Fetch thread: never touches the database."""
        source, label = upstream.source, upstream.label
        stop = self.stops[source]
        outcome = (IngestRun.Status.OK, "")
        try:
            for category in self.categories:
                pages = upstream.fetch_pages(
                    client, category=category, since=since.get(category), max_pages=self.max_pages
                )
                fetched_pages = 0
                for page in pages:
                    if stop.is_set() or not self._put(("page", source, page)):
                        return
                    fetched_pages += 1
                # A category cut short by --max-pages was not fetched to the end: the next run goes further.
                if not self.max_pages or fetched_pages < self.max_pages:
                    self._put(("category", source, category))
        except RunAbandoned:
            return
        except BudgetSpent:
            outcome = (IngestRun.Status.OK, f"{label} stopped early: {budget_spent_message(upstream)}")
        except UpstreamError as exc:
            outcome = (IngestRun.Status.FAILED, str(exc))
        except Exception as exc:  # a bug must fail this source only, and say so
            logger.exception("%s fetch crashed", label)
            outcome = (IngestRun.Status.FAILED, f"{label} failed unexpectedly: {type(exc).__name__}.")
        finally:
            client.close()
            self._put(("done", source, outcome))

    def _wait_until_counted(self, source, number):
        """Fetch thread, before it sends its request `number`: wait until the IngestRun row counts it."""
        if self.abandoned.is_set():
            raise RunAbandoned
        if number <= self.counted[source]:
            return
        counted = threading.Event()
        if not self._put(("count", source, (number, counted))):
            raise RunAbandoned
        while not counted.wait(0.2):
            if self.abandoned.is_set():
                raise RunAbandoned

    def _put(self, item):
        """Queue `item` unless the writer has gone; whether it was queued."""
        while not self.abandoned.is_set():
            try:
                self.queue.put(item, timeout=0.2)
                return True
            except queue.Full:
                pass
        return False

    def _store(self, started):
        producers = len(self.jobs)
        # The fetch threads keep to the time bound themselves; this only makes sure the writer never waits forever.
        give_up_at = started + settings.UPSTREAM_SOURCE_TIMEOUT + settings.UPSTREAM_TIMEOUT + CONNECT_TIMEOUT + 5
        while producers:
            try:
                items = [self.queue.get(timeout=max(0.0, give_up_at - time.monotonic()))]
            except queue.Empty:
                self._give_up_waiting()
                return
            # Take whatever else is waiting too: fewer, larger upserts.
            while len(items) < QUEUE_PAGES:
                try:
                    items.append(self.queue.get_nowait())
                except queue.Empty:
                    break
            pending = {}
            for kind, source, payload in items:
                if kind == "page":
                    pending.setdefault(source, []).append(payload)
                    continue
                if kind == "count":  # at once: a fetch thread is waiting for it
                    self._count_request(source, *payload)
                    continue
                self._store_pages(source, pending.pop(source, []))
                result = self.results[source]
                if kind == "category" and result.status == IngestRun.Status.RUNNING:
                    result.categories.append(payload)
                elif kind == "done":
                    producers -= 1
                    self.fetching.discard(source)
                    if result.status == IngestRun.Status.RUNNING:
                        result.status, result.message = payload
                    result.seconds = time.monotonic() - started
                    self.progress.done(source, result)
            for source, pages in pending.items():
                self._store_pages(source, pages)

    def _store_pages(self, source, pages, *, one_by_one=False):
        result = self.results[source]
        if not pages or result.status != IngestRun.Status.RUNNING:
            return  # an earlier page could not be stored; its thread is stopping
        articles = [article for page in pages for article in page.articles]
        try:
            with transaction.atomic():  # one commit for the articles and the run's counts
                commit_without_waiting_for_the_disk()
                if one_by_one:
                    counts, refused = upsert_one_by_one(articles, dry_run=self.dry_run, staged=self.staged)
                else:
                    counts, refused = upsert_articles(articles, dry_run=self.dry_run, staged=self.staged), []
                for article, exc in refused:
                    logger.warning(
                        "skipped a %s article, %s: it could not be stored (%s)", source, article.url, first_line(exc)
                    )
                self._record(source, pages, counts, refused=len(refused))
                if (counts.created or counts.updated) and not self.dry_run:
                    send_articles_changed_on_commit()
        except STORE_ERRORS as exc:
            raise_if_stopping(exc)
            lost = not database_answers()  # then storing piece by piece cannot help
            if len(pages) > 1 and not lost:  # find the page at fault: the ones before it are stored
                for page in pages:
                    self._store_pages(source, [page])
                return
            page = pages[0]
            where = f"{source}: page {page.number} of {page.category}"
            if not one_by_one and not lost:  # find the articles at fault: only they are skipped
                logger.warning("%s failed as one batch (%s); storing it article by article", where, first_line(exc))
                self._store_pages(source, pages, one_by_one=True)
                return
            log = logger.error if lost else logger.exception  # a lost connection's traceback tells nothing more
            log("%s could not be stored (%s)", where, first_line(exc))
            result.status = IngestRun.Status.FAILED
            result.message = f"{where} could not be stored ({first_line(exc)})."
            self.stops[source].set()
            return
        for page in pages:
            self.progress.page(source, page, result)

    def _count_request(self, source, number, counted):
        """Count request `number` and a few ahead in the source's row, committed before its fetch thread sends it."""
        ahead = min(number - 1 + COUNTED_AHEAD, self.clients[source].requests_allowed)
        IngestRun.objects.filter(pk=self.rows[source].pk).update(requests_made=ahead)
        self.counted[source] = ahead
        counted.set()

    def _record(self, source, pages, counts, *, refused=0):
        """Add a stored batch to the source's counts, in the database too. Articles it `refused` count as skipped."""
        result = self.results[source]
        added = {
            "fetched": sum(page.fetched for page in pages),
            "skipped": sum(page.skipped for page in pages) + refused,
            **asdict(counts),
        }
        # Every counter of RUN_COUNTERS, so that one added to the model without a value here fails loudly.
        totals = {name: getattr(result, name) + added[name] for name in RUN_COUNTERS if name != "requests_made"}
        IngestRun.objects.filter(pk=self.rows[source].pk).update(**totals)
        for name, value in totals.items():  # only once the database has them: a failed batch adds nothing
            setattr(result, name, value)

    def _give_up_waiting(self):
        for result in self.results.values():
            if result.status == IngestRun.Status.RUNNING:
                result.status = IngestRun.Status.FAILED
                result.message = (
                    f"{result.source} did not finish within {settings.UPSTREAM_SOURCE_TIMEOUT:g} s "
                    "(UPSTREAM_SOURCE_TIMEOUT); stopped waiting for it."
                )
