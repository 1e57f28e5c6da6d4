from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from profiling import ingest_benchmark


class Command(BaseCommand):
    help = "Benchmark the ingest into PostgreSQL against the sandbox (in a scratch database)."

    def add_arguments(self, parser):
        parser.add_argument("--articles", type=int, default=10_000, help="how many to ingest (default 10,000)")

    def handle(self, *, articles, **options):
        if connection.vendor != "postgresql":
            raise CommandError("bench_ingest measures PostgreSQL: set DATABASE_URL=postgres://...")
        if articles < 1:
            raise CommandError("--articles must be at least 1.")
        ingest_benchmark.run(articles, self.stdout.write)
