import time
from datetime import UTC, datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils.dateparse import parse_date, parse_datetime

from articles.locks import INGEST_LOCK_ID, advisory_lock
from stories.services import rebuild_stories


def moment(value):
    """--since: a date (midnight UTC) or an ISO 8601 time with its offset."""
    day = parse_date(value) if len(value) == len("2026-11-23") else None
    parsed = datetime.combine(day, datetime.min.time(), UTC) if day else parse_datetime(value)
    if parsed is None or parsed.tzinfo is None:
        raise ValueError(value)
    return parsed


class Command(BaseCommand):
    help = "Regroup the stored articles into stories (after a change of method or of STORIES_WINDOW_HOURS)."

    def add_arguments(self, parser):
        parser.add_argument("--rebuild", action="store_true", required=True, help="regroup (required: it rewrites)")
        parser.add_argument("--since", type=moment, help="only the articles published since: 2026-11-23 or ISO 8601")
        parser.add_argument("--no-progress", action="store_true", help="no progress bar")

    def handle(self, *, since, no_progress, **options):
        started = time.monotonic()
        # The ingest's lock: an ingest and a rebuild never race on a story.
        with advisory_lock(INGEST_LOCK_ID, wait=False) as acquired:
            if not acquired:
                raise CommandError("An ingest or another rebuild holds the ingest lock; nothing was regrouped.")
            summary = rebuild_stories(since=since, progress=not no_progress, stderr=self.stderr)
        self.stdout.write(
            f"Regrouped {summary.articles} articles into {summary.stories} stories "
            f"({summary.shared} of more than one article, the largest of {summary.largest}; "
            f"{summary.kept} kept as an operator left them) in {time.monotonic() - started:.1f} s."
        )
