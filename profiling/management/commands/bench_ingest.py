from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from profiling import ingest_benchmark

# Beyond a few seconds a request, the first runs would measure nothing but the waiting.
MAX_LATENCY_MS = 5_000


class Command(BaseCommand):
    help = "Benchmark the ingest into PostgreSQL against the sandbox (in a scratch database)."

    def add_arguments(self, parser):
        parser.add_argument("--articles", type=int, default=10_000, help="how many to ingest (default 10,000)")
        parser.add_argument(
            "--latency-ms",
            type=int,
            default=0,
            help="the sandbox's delay on each answer of the first runs, as a real upstream's (default 0: the ceiling)",
        )

    def handle(self, *, articles, latency_ms, **options):
        if articles < 1:
            raise CommandError("--articles must be at least 1.")
        if not 0 <= latency_ms <= MAX_LATENCY_MS:
            raise CommandError(f"--latency-ms must be between 0 and {MAX_LATENCY_MS}.")
        if connection.vendor != "postgresql":
            raise CommandError("bench_ingest measures PostgreSQL: set DATABASE_URL=postgres://...")
        ingest_benchmark.run(articles, self.stdout.write, latency_ms=latency_ms)
