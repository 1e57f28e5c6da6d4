"""
An ingest run's record: one IngestRun row per source, from the run's start to its end, and
the rows of runs that never reached their end.

A run is live only while its process holds the ingest lock (locks.INGEST_LOCK_ID). A row
still `running` while nobody holds the lock belongs to a process that was killed or lost
its database; `mark_interrupted_runs()` says so in the row, keeping what the run recorded.
"""

from contextlib import contextmanager
from dataclasses import field, make_dataclass
from datetime import UTC, datetime, timedelta

from django.utils import timezone

from stories.planning import grouping_run

from ..locks import INGEST_LOCK_ID, advisory_lock, held_by_another_session
from ..models import RUN_COUNTERS, IngestRun

RESULT_FIELDS = ["status", *RUN_COUNTERS, "categories", "message"]

# One source's part of a run as it goes: its IngestRun row's status, counters, categories and message, and its time.
SourceResult = make_dataclass(
    "SourceResult",
    [
        ("source", str),
        ("status", str, field(default=IngestRun.Status.RUNNING)),
        *[(name, int, field(default=0)) for name in RUN_COUNTERS],
        ("seconds", float, field(default=0.0)),
        ("categories", list, field(default_factory=list)),
        ("message", str, field(default="")),
    ],
    namespace={"__module__": __name__},
)


class IngestLocked(Exception):
    """Another ingest holds the lock."""


@contextmanager
def ingest_lock():
    """Hold the ingest lock for a fetch_articles run's part (the upstreams' or the feeds'), the rows of runs left
    `running` marked interrupted first; IngestLocked when another run holds it (PostgreSQL only). While it is
    held, the story grouping keeps its index in memory (stories.planning.grouping_run)."""
    with advisory_lock(INGEST_LOCK_ID, wait=False) as acquired:
        if not acquired:
            raise IngestLocked("Another fetch_articles run holds the ingest lock; this one did nothing.")
        mark_interrupted_runs(found_by="the next fetch_articles run", lock_is_ours=True)
        with grouping_run():
            yield


class NoProgress:
    """What `ingest()` reports a run's progress to when nobody watches."""

    def page(self, source, page, result):
        pass

    def done(self, source, result):
        pass


def finish_run(row, result):
    for name in RESULT_FIELDS:
        setattr(row, name, getattr(result, name))
    row.finished_at = timezone.now()
    row.save()


def mark_interrupted_runs(*, found_by, lock_is_ours=False):
    """Mark the rows left `running` by a process that is gone as `interrupted`; return how many.

    `found_by` says who noticed, for the row's message. With `lock_is_ours` the caller holds the ingest
    lock, so no other run can be live; otherwise only PostgreSQL can tell (another database: nothing is
    marked). The rows are read before the lock is looked at: a run starting in between is not among them,
    and one ending in between is no longer `running` when they are updated.
    """
    running = list(IngestRun.objects.filter(status=IngestRun.Status.RUNNING).values_list("pk", flat=True))
    if not running or (not lock_is_ours and held_by_another_session(INGEST_LOCK_ID) is not False):
        return 0
    message = (
        f"The run stopped before its end (its process was killed or lost the database); {found_by} found it "
        f"at {timezone.now():%Y-%m-%d %H:%M:%S} UTC. Its counts are what it had recorded by then."
    )
    return IngestRun.objects.filter(pk__in=running, status=IngestRun.Status.RUNNING).update(
        status=IngestRun.Status.INTERRUPTED, message=message
    )


def skip_reason(upstream, remaining):
    """Why `upstream` sits this run out, with `remaining` requests left today; None when it does not."""
    if not upstream.key:
        return f"{upstream.label} skipped: {upstream.key_setting} is not set."
    if remaining <= 0:
        return f"{upstream.label} skipped: {budget_spent_message(upstream)}"
    return None


def budget_spent_message(upstream):
    now = datetime.now(UTC)
    reset = (now + timedelta(days=1)).replace(hour=0, minute=0, second=0, microsecond=0)
    hours, seconds = divmod(int((reset - now).total_seconds()), 3600)
    return (
        f"the daily budget of {upstream.daily_requests} requests "
        f"({upstream.daily_requests_setting}) is spent for {now:%Y-%m-%d} (UTC); "
        f"it resets at 00:00 UTC, in {hours} h {seconds // 60:02d} min."
    )
