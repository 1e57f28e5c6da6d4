from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from profiling import scale_bench, scale_migration


def sizes(text):
    try:
        values = [int(value.replace("_", "")) for value in text.split(",")]
    except ValueError:
        values = []
    if not values or min(values) < 100:
        raise ValueError(text)
    return values


class Command(BaseCommand):
    help = "Time the API's reads at 10k, 100k and 1M synthetic articles (in a scratch PostgreSQL database)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--sizes",
            type=sizes,
            default=scale_bench.SIZES,
            help="comma-separated, each >= 100 (default 10000,100000,1000000)",
        )
        parser.add_argument(
            "--migrations",
            type=int,
            metavar="SIZE",
            help="instead: time migrations 0006-0008 on SIZE articles, and a reader's longest wait meanwhile",
        )
        parser.add_argument(
            "--repeats", type=int, default=scale_bench.REPEATS, help="timed requests per read (default 15)"
        )

    def handle(self, *, sizes, repeats, migrations, **options):
        if connection.vendor != "postgresql":
            raise CommandError("bench_scale measures PostgreSQL: set DATABASE_URL=postgres://...")
        if repeats < 1:
            raise CommandError("--repeats must be at least 1.")
        if migrations is not None:
            scale_migration.run(self.stdout.write, size=migrations)
        else:
            scale_bench.run(self.stdout.write, sizes=sizes, repeats=repeats)
