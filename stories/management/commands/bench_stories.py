import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

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

    def handle(self, *, csv, batch, **options):
        if not csv.is_file():
            raise CommandError(
                f"There is no labelled CSV at {csv}: pass --csv PATH (the columns are in shared/datasets/README.md)."
            )
        if batch < 1:
            raise CommandError("--batch must be at least 1.")
        rows = read_labelled(csv)
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
