import argparse
import logging
from contextlib import contextmanager

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError
from django.utils import timezone
from tqdm import tqdm

from articles.models import RUN_COUNTERS, Category, IngestRun
from articles.selectors import runs_started_since
from articles.services.ingest import NoUsableSource, ingest
from articles.services.runs import IngestLocked
from articles.services.stopping import stop_on_ctrl_c_and_sigterm
from articles.upstreams import UPSTREAMS
from feeds.services.command import FEEDS, feeds_subscribed, fetch_feeds_part
from newsproject.text import first_line, whole_number

FIELDS = ("source", "status", *RUN_COUNTERS)
HEADINGS = {"requests_made": "requests"}  # a shorter heading where the field's name is wider than its figures
COLUMNS = (*[HEADINGS.get(name, name) for name in FIELDS], "seconds")


def positive_int(text):
    try:
        return whole_number(text, minimum=1)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


class Command(BaseCommand):
    help = "Fetch articles from NewsAPI, the Guardian and the due feeds, and store them."

    def add_arguments(self, parser):
        parser.add_argument("--source", choices=[*UPSTREAMS, FEEDS, "all"], default="all", help="default: all")
        parser.add_argument(
            "--category",
            action="append",
            choices=Category.values,
            dest="categories",
            metavar="CATEGORY",
            help=f"repeatable; one of {', '.join(Category.values)} (default: all)",
        )
        parser.add_argument(
            "--max-pages",
            type=positive_int,
            help="pages per category (default: as many as the upstream and the daily budget allow)",
        )
        parser.add_argument("--dry-run", action="store_true", help="fetch and normalise, store no articles")
        parser.add_argument(
            "--full",
            action="store_true",
            help="fetch each category's whole first-run window again, not only what is new since the last run",
        )

    def handle(self, *, source, categories, max_pages, dry_run, full, verbosity, **options):
        with log_levels(verbosity), stop_on_ctrl_c_and_sigterm():
            # The feeds (the feeds app) after the upstreams, with their own row: only when some are subscribed.
            feeds = source == FEEDS or (source == "all" and feeds_subscribed())
            try:
                if source != FEEDS:
                    self.fetch(source, categories, max_pages, dry_run, full, verbosity)
            except CommandError as exc:
                if feeds and exc.returncode == 1:
                    fetch_feeds_part(self, dry_run, alone=False)
                raise
            if feeds:
                fetch_feeds_part(self, dry_run, alone=source == FEEDS)

    def fetch(self, source, categories, max_pages, dry_run, full, verbosity):
        sources = list(UPSTREAMS) if source == "all" else [source]
        progress = Progress(self.stderr, sources, verbosity)
        started = timezone.now()
        try:
            results = ingest(
                sources=sources,
                categories=list(dict.fromkeys(categories or Category.values)),
                max_pages=max_pages,
                dry_run=dry_run,
                full=full,
                progress=progress,
            )
        except NoUsableSource as exc:
            if source == "all" and feeds_subscribed():
                self.stderr.write(self.style.WARNING(f"{exc} Only the feeds were fetched."))
                return
            raise CommandError(str(exc)) from None
        except DatabaseError as exc:
            reason = first_line(exc)
            raise CommandError(
                f"The database cannot be used ({reason}): is it running and migrated (python manage.py migrate)?"
            ) from None
        except IngestLocked as exc:
            self.stderr.write(self.style.WARNING(str(exc)))
            return
        except KeyboardInterrupt:
            progress.close()
            if runs := runs_started_since(started):  # what the run recorded before it stopped
                self.stdout.write(summary_table(runs))
            raise CommandError("Interrupted: the pages stored before it are kept.", returncode=130) from None
        finally:
            progress.close()

        if dry_run:
            self.stdout.write("Dry run: nothing was stored; created and updated say what would have been.")
        self.stdout.write(summary_table(results))
        for result in results:
            if result.status == IngestRun.Status.FAILED:
                self.stderr.write(self.style.ERROR(result.message))
            elif result.message:
                self.stderr.write(self.style.WARNING(result.message))
        failed = [result.source for result in results if result.status == IngestRun.Status.FAILED]
        if failed:
            raise CommandError(f"{', '.join(failed)} failed; what could be stored was stored.")


@contextmanager
def log_levels(verbosity):
    """-v 0: warnings only (not the retries the service logs); 2: each request; 3: urllib3's own lines too."""
    level = {0: logging.WARNING, 1: logging.INFO}.get(verbosity, logging.DEBUG)
    levels = {"articles": level, "feeds": level}
    if verbosity >= 3:
        levels["urllib3"] = logging.DEBUG
    before = {name: logging.getLogger(name).level for name in levels}
    for name, level in levels.items():
        logging.getLogger(name).setLevel(level)
    try:
        yield
    finally:
        for name, level in before.items():
            logging.getLogger(name).setLevel(level)


def summary_table(results):
    rows = [COLUMNS] + [(*[getattr(r, name) for name in FIELDS], f"{r.seconds or 0:.1f}") for r in results]
    widths = [max(len(str(row[i])) for row in rows) for i in range(len(COLUMNS))]
    lines = []
    for row in rows:
        # Names left-aligned, figures right-aligned.
        cells = [str(row[i]).ljust(w) if i < 2 else str(row[i]).rjust(w) for i, w in enumerate(widths)]
        lines.append("  ".join(cells).rstrip())
    return "\n".join(lines)


class Progress:
    """Per-source progress on stderr: a bar each on a terminal, a line per page otherwise.

    A bar has a total (and so an ETA) once the upstream has said how many items its categories hold: each
    category adds its count with its first page, and once it ends, the count is replaced by what it gave
    (fewer, when the run stops at what an earlier run stored). A category yet to start adds nothing yet."""

    def __init__(self, stream, sources, verbosity):
        self.stream = stream
        self.quiet = verbosity == 0
        self.bars = {}
        self.expected = {source: {} for source in sources}  # per source: category -> items expected, then given
        self.given = {source: {} for source in sources}
        if not self.quiet and stream.isatty():
            self.bars = {
                source: tqdm(desc=source, unit=" articles", position=i, file=stream._out, leave=True)
                for i, source in enumerate(sources)
            }

    def page(self, source, page, result):
        expected, given = self.expected[source], self.given[source]
        for category in expected.keys() - {page.category}:  # the categories before this one have ended
            expected[category] = given[category]
        given[page.category] = given.get(page.category, 0) + page.fetched
        if page.expected is not None:
            expected.setdefault(page.category, max(page.expected, given[page.category]))
        if source in self.bars:
            bar = self.bars[source]
            bar.total = sum(expected.values()) or None
            # A fixed width: a shorter line would leave the end of the longer one on the screen.
            bar.set_postfix_str(f"{page.category:<13} page {page.number:<4}", refresh=False)
            bar.update(page.fetched)
        elif not self.quiet:
            self.stream.write(f"{source}: {page.category} page {page.number}: {page.fetched} fetched")

    def done(self, source, result):
        if source in self.bars:
            bar = self.bars.pop(source)
            bar.total = bar.n if bar.total else None  # ended: whatever the upstream said, this was all
            bar.close()  # now: its clock must not run on while the other source works

    def close(self):
        for bar in self.bars.values():
            bar.close()
