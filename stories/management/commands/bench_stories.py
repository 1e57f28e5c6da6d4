import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from profiling.ingest_benchmark import scratch_database
from stories import scale as stories_scale
from stories.measure import baseline, group_in_batches, half_of, read_labelled, score

DEFAULT_CSV = settings.BASE_DIR.parent / "shared" / "datasets" / "uci-news-stories-dev.csv"
SETS = (
    ("all", lambda row: True),
    ("tuning half (a)", lambda row: half_of(row.story, "a")),
    ("held-out half (b)", lambda row: half_of(row.story, "b")),
)


class Command(BaseCommand):
    help = "Measure the story grouping against labelled headlines, beside a NewsBlur-style title-overlap baseline."

    def add_arguments(self, parser):
        parser.add_argument("--csv", type=Path, default=DEFAULT_CSV, help=f"labelled headlines (default {DEFAULT_CSV})")
        parser.add_argument("--batch", type=int, default=100, help="articles per ingest batch (default 100)")
        parser.add_argument(
            "--scale",
            action="store_true",
            help="instead: the grouping's speed with 10 k, 100 k and 1 M articles stored (PostgreSQL)",
        )
        parser.add_argument("--sizes", default="10000,100000,1000000", help="with --scale: the stored articles' counts")

    def handle(self, *, csv, batch, scale, sizes, **options):
        if not csv.is_file():
            raise CommandError(
                f"There is no labelled CSV at {csv}: pass --csv PATH (the columns are in shared/datasets/README.md)."
            )
        if batch < 1:
            raise CommandError("--batch must be at least 1.")
        rows = read_labelled(csv)
        if scale:
            self.scale(rows, batch, sizes)
            return
        labels = len({row.story for row in rows})
        self.stdout.write(f"{len(rows)} headlines, {labels} labelled stories, batches of {batch}")
        header = ("set", "method", "ARI", "prec", "recall", "F1", "stories", "art/s")
        self.stdout.write("{:<18} {:<9} {:>6} {:>6} {:>6} {:>6} {:>7} {:>8}".format(*header))
        for name, keep in SETS:
            subset = [row for row in rows if keep(row)]
            truth = [row.story for row in subset]
            for method, group in (("stories", lambda s: group_in_batches(s, batch=batch)), ("baseline", baseline)):
                started = time.perf_counter()
                labels = group(subset)
                rate = len(subset) / max(time.perf_counter() - started, 1e-9)
                s = score(truth, labels)
                self.stdout.write(
                    f"{name:<18} {method:<9} {s.ari:6.3f} {s.precision:6.3f} {s.recall:6.3f} {s.f1:6.3f} "
                    f"{s.stories:7d} {rate:8.0f}"
                )

    def scale(self, rows, batch, sizes):
        if connection.vendor != "postgresql":
            raise CommandError("--scale measures PostgreSQL: set DATABASE_URL=postgres://...")
        try:
            counts = [int(size) for size in sizes.split(",")]
        except ValueError:
            raise CommandError("--sizes must be whole numbers, comma-separated: 10000,100000,1000000.") from None
        if counts != sorted(counts) or counts[0] < 0:
            raise CommandError("--sizes must be 0 or more, in increasing order.")
        self.stdout.write(f"{len(rows)} labelled headlines grouped in batches of {batch} over stored background:")
        with scratch_database("_stories_scale"):
            stories_scale.run(rows, sizes=counts, batch=batch, report=self.stdout.write)
