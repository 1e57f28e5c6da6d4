"""What fetch_articles does for `--source feeds` (and for every source): the due feeds, then their row."""

from django.core.management.base import CommandError
from django.db import DatabaseError
from django.utils import timezone

from articles.models import FEEDS, IngestRun  # noqa: F401 (FEEDS: fetch_articles reads it here)
from articles.selectors import runs_started_since
from articles.services.runs import IngestLocked

from ..models import Feed
from .crawl import fetch_feeds


def feeds_subscribed():
    """Whether any feed is enabled; False when the database cannot say (the upstreams' part then says why)."""
    try:
        return Feed.objects.filter(enabled=True).exists()
    except DatabaseError:
        return False


def fetch_feeds_part(command, dry_run, *, alone):
    """Fetch the due feeds and print their summary; with `alone` (`--source feeds`) a lock held is the
    command's own warning, and a failure its error. A feed that fails is a line of the summary only."""
    from articles.management.commands.fetch_articles import summary_table

    started = timezone.now()
    try:
        result, counts = fetch_feeds(dry_run=dry_run)
    except IngestLocked as exc:
        command.stderr.write(command.style.WARNING(str(exc)))
        return
    except KeyboardInterrupt:  # the run's row says `interrupted`, with what it stored
        if runs := runs_started_since(started):
            command.stdout.write(summary_table(runs))
        raise CommandError("Interrupted: the feeds stored before it are kept.", returncode=130) from None
    command.stdout.write(summary_table([result]))
    command.stdout.write(f"feeds: {counts.sentence()}")
    if result.status == IngestRun.Status.FAILED:
        if alone:
            raise CommandError(result.message)
        command.stderr.write(command.style.ERROR(result.message))
