"""
The feeds' part of a fetch_articles run: fetch the due feeds and store their entries as articles.

Worker threads (FEEDS_CONCURRENCY of them) fetch and parse (a large run's parsing is in processes: parsers.py);
each takes one host's due feeds in turn, so that at most one request at a time goes to any host. They never
touch the database: this thread takes each outcome as it comes and stores it, a batch at a time (the articles
through article_writer, the feeds' state, the run's counts, in one transaction). A feed that fails is recorded
as failing and backs off (state.py); it never fails the run or the other feeds. One IngestRun row (source
`feeds`) records the run.
"""

import logging
import queue
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, replace
from datetime import timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from articles.models import FEEDS, IngestRun
from articles.services.article_writer import STORE_ERRORS, commit_without_waiting_for_the_disk, upsert_articles
from articles.services.bulk_writes import rows_update
from articles.services.runs import SourceResult, finish_run, ingest_lock
from articles.services.stopping import raise_if_stopping
from articles.signals import send_articles_changed_on_commit
from articles.upstreams.items import ArticleIn, bounded
from newsproject.text import first_line

from ..models import Feed
from ..selectors import feeds_due, stored_published_at
from . import state
from .http import FetchError, fetch, new_session
from .parsers import feed_parser
from .parsing import NotAFeed

logger = logging.getLogger(__name__)

BATCH = 32  # outcomes stored in one transaction
# A feed due within this is fetched now: a scheduler that starts a run every FEEDS_INTERVAL (a CronJob) starts
# each a little earlier or later than the last, and a feed a second short of due would wait a whole interval.
DUE_EARLY = timedelta(minutes=1)
STATE_FIELDS = [
    "url", "title", "site_url", "format", "enabled", "etag", "last_modified", "last_fetched_at", "next_fetch_at",
    "last_status", "consecutive_errors", "failing_since", "last_error",
]  # fmt: skip


@dataclass
class Outcome:
    feed: Feed
    fetched: object = None  # http.Fetched
    parsed: object = None  # parsing.ParsedFeed; None for a 304 or a failure
    error: Exception | None = None
    requests_made: int = 0


@dataclass
class FeedCounts:
    due: int = 0
    fetched: int = 0
    not_modified: int = 0
    failed: int = 0
    disabled: int = 0

    def sentence(self):
        return (
            f"{self.due} feeds due: {self.fetched} fetched, {self.not_modified} not modified, {self.failed} failed"
            + (f" ({self.disabled} disabled)." if self.disabled else ".")
        )


def fetch_feeds(*, dry_run=False, feeds=None):
    """Fetch the due feeds (or `feeds`, a queryset, due or not); return (SourceResult, FeedCounts)."""
    with ingest_lock():
        started_at = timezone.now()
        chosen = list(feeds if feeds is not None else feeds_due(started_at + DUE_EARLY))
        return _Crawl(chosen, dry_run=dry_run, started_at=started_at).run()


def fetch_one(feed, parse):
    """Worker thread: fetch `feed` and `parse` it (no database); an Outcome whatever happens."""
    outcome = Outcome(feed)
    session = new_session()
    try:
        fetched = fetch(session, feed.url, etag=feed.etag, last_modified=feed.last_modified)
        outcome.fetched, outcome.requests_made = fetched, fetched.requests_made
        if fetched.status == 200:
            outcome.parsed = parse(fetched.body, content_type=fetched.content_type, url=fetched.url)
    except FetchError as exc:
        outcome.error, outcome.requests_made = exc, exc.requests_made
    except NotAFeed as exc:
        outcome.error = exc
    except Exception as exc:  # a bug must fail this feed only, and say so
        logger.exception("fetching feed %s crashed", feed.url)
        outcome.error = FetchError(f"Failed unexpectedly ({type(exc).__name__}).", requests_made=0)
    finally:
        session.close()
    return outcome


class _Crawl:
    def __init__(self, feeds, *, dry_run, started_at):
        self.feeds = feeds
        self.started_at = started_at
        self.dry_run = dry_run
        self.result = SourceResult(FEEDS)
        self.counts = FeedCounts(due=len(feeds))
        self.outcomes = queue.Queue()
        self.stop = threading.Event()
        self.row = None

    def run(self):
        started = time.monotonic()
        self.row = IngestRun.objects.create(source=FEEDS, dry_run=self.dry_run, started_at=self.started_at)
        by_host = defaultdict(list)
        for feed in self.feeds:
            by_host[(urlsplit(feed.url).hostname or "").lower()].append(feed)
        hosts = queue.SimpleQueue()
        for host_feeds in by_host.values():
            hosts.put(host_feeds)
        try:
            with feed_parser(len(self.feeds)) as parse:
                # Daemon threads: after Ctrl-C the process ends at once, not when the slowest feed answers.
                for number in range(max(1, min(settings.FEEDS_CONCURRENCY, len(by_host)))):
                    threading.Thread(
                        target=self._work, args=(hosts, parse), name=f"feeds-{number}", daemon=True
                    ).start()
                self._store_as_they_come(len(self.feeds))
            self.result.status = IngestRun.Status.OK
        except STORE_ERRORS as exc:
            raise_if_stopping(exc)
            logger.exception("feeds could not be stored")
            self.result.status = IngestRun.Status.FAILED
            self.result.message = f"feeds could not be stored ({first_line(exc)}). "
        finally:
            self.stop.set()  # the workers send nothing more; each ends with the feed in hand
            if self.result.status == IngestRun.Status.RUNNING:
                self.result.status = IngestRun.Status.INTERRUPTED
                self.result.message = "feeds: the run was interrupted (Ctrl-C or SIGTERM). "
            self.result.message += self.counts.sentence()
            self.result.seconds = time.monotonic() - started
            finish_run(self.row, self.result)
        return self.result, self.counts

    def _work(self, hosts, parse):
        """Worker thread: a host's feeds one after the other, then another host's, until none is left."""
        while not self.stop.is_set():
            try:
                feeds = hosts.get_nowait()
            except queue.Empty:
                return
            for feed in feeds:
                if self.stop.is_set():
                    return
                self.outcomes.put(fetch_one(feed, parse))

    def _store_as_they_come(self, expected):
        stored = 0
        while stored < expected:
            batch = [self.outcomes.get()]
            while len(batch) < BATCH:
                try:
                    batch.append(self.outcomes.get_nowait())
                except queue.Empty:
                    break
            self._store(batch)
            stored += len(batch)

    def _store(self, outcomes):
        now, run_started_at = timezone.now(), self.started_at
        articles, taken = [], set()
        moved_to = {o.fetched.moved_to for o in outcomes if o.fetched and o.fetched.moved_to}
        if moved_to:
            taken = set(Feed.objects.filter(url__in=moved_to).values_list("url", flat=True))
        for outcome in outcomes:
            feed = outcome.feed
            self.result.requests_made += outcome.requests_made
            if outcome.error is not None:
                self.counts.failed += 1
                self.counts.disabled += state.record_failure(
                    feed, outcome.error, now=now, run_started_at=run_started_at
                )
                logger.info("feed %s failed: %s", feed.url, outcome.error)
                continue
            state.record_success(feed, outcome.fetched, outcome.parsed, now=now, run_started_at=run_started_at)
            state.moved(feed, outcome.fetched.moved_to, outcome.fetched.moved_to in taken)
            taken.add(feed.url)
            if outcome.parsed is None:
                self.counts.not_modified += 1
                continue
            self.counts.fetched += 1
            entries = outcome.parsed.entries[: settings.FEEDS_MAX_ENTRIES]
            self.result.fetched += len(entries) + outcome.parsed.skipped
            self.result.skipped += outcome.parsed.skipped
            articles += [self._article(feed, entry) for entry in entries]
        with transaction.atomic():
            commit_without_waiting_for_the_disk()
            articles = self._dated(articles, now)
            counts = upsert_articles(articles, dry_run=self.dry_run)
            for name in ("created", "updated", "unchanged"):
                setattr(self.result, name, getattr(self.result, name) + getattr(counts, name))
            if not self.dry_run:
                rows_update(Feed, [o.feed for o in outcomes], STATE_FIELDS)
                if counts.created or counts.updated:
                    send_articles_changed_on_commit()
            counters = ("requests_made", "fetched", "created", "updated", "unchanged", "skipped")
            IngestRun.objects.filter(pk=self.row.pk).update(**{name: getattr(self.result, name) for name in counters})

    @staticmethod
    def _article(feed, entry):
        return ArticleIn(
            url=entry.url,
            source=FEEDS,
            source_name=feed.title or urlsplit(feed.url).hostname or "",
            external_id=entry.external_id,
            title=entry.title,
            description=entry.description,
            author=entry.author,
            image_url=entry.image_url,
            category=feed.category,
            published_at=entry.published_at,  # None until _dated()
            feed_id=feed.pk,
        )

    @staticmethod
    def _dated(articles, now):
        """Every article with a date: an entry without one (or with one still to come) keeps the time it was
        first seen, the one stored if it was seen before."""
        undated = {a.url for a in articles if a.published_at is None or a.published_at > now}
        seen = stored_published_at(undated) if undated else {}
        return [
            bounded(replace(a, published_at=seen.get(a.url, now)) if a.url in seen or a.url in undated else a)
            for a in articles
        ]
