from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from profiling import feeds_benchmark


class Command(BaseCommand):
    help = "Benchmark the feed crawler into PostgreSQL against the sandbox's feeds (in a scratch database)."

    def add_arguments(self, parser):
        parser.add_argument("--feeds", type=int, default=feeds_benchmark.FEEDS, help="default 1,000")
        parser.add_argument("--entries", type=int, default=feeds_benchmark.ENTRIES, help="per feed; default 50")
        parser.add_argument("--hosts", type=int, default=feeds_benchmark.HOSTS, help="publishers' hosts; default 50")

    def handle(self, *, feeds, entries, hosts, **options):
        if connection.vendor != "postgresql":
            raise CommandError("bench_feeds measures PostgreSQL: set DATABASE_URL=postgres://...")
        if feeds < 1 or entries < 0 or not 1 <= hosts <= 254:
            raise CommandError("--feeds must be ≥ 1, --entries ≥ 0 and --hosts from 1 to 254.")
        feeds_benchmark.run(self.stdout.write, feeds=feeds, entries=entries, hosts=hosts)
