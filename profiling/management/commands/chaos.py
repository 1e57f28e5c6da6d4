import os
import sys
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from profiling.chaos import suite, table


class Command(BaseCommand):
    help = (
        "Run the fault suite against PostgreSQL, Redis, gunicorn and the sandbox; print a row per fault and exit 1 "
        "when any missed its aim (no 5xx, no row lost)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--only",
            action="append",
            choices=suite.FAMILIES,
            metavar="FAMILY",
            help=f"repeatable: run only these families of faults ({', '.join(suite.FAMILIES)}; default: all)",
        )

    def handle(self, *, only, **options):
        if connection.vendor != "postgresql" or not settings.REDIS_URL:
            raise CommandError(
                "The fault suite needs PostgreSQL and Redis: set DATABASE_URL=postgres://... and REDIS_URL."
            )
        started = time.monotonic()
        rows = suite.run(self.stderr.write, families=only or suite.FAMILIES)
        memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
        self.stdout.write(table.plain(rows))
        self.stdout.write("")
        self.stdout.write(
            f"Command: `make chaos`{' --only ' + ' --only '.join(only) if only else ''}, "
            f"{time.monotonic() - started:.0f} s. Machine: {os.cpu_count()} cores, {memory:.0f} GiB, "
            f"Python {sys.version.split()[0]}. Date: {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}.\n"
        )
        self.stdout.write(table.markdown(rows))
        self.stdout.write("")
        self.stdout.write(table.summary(rows))
        if not all(row.met for row in rows):
            raise CommandError("the fault suite failed: see the rows above.")
