"""
How long issue 14's migrations (articles 0006 to 0008) take on a table of `size` articles, and how long a reader
waits meanwhile (`make bench-scale ARGS="--migrations 1000000"`): in a scratch database at migration 0005 filled by
COPY, each migration timed while another connection reads the first page of the list every PROBE_EVERY seconds.
"""

import threading
import time

import psycopg
from django.core.management import call_command
from django.db import connection

from . import scale_data
from .ingest_benchmark import scratch_database

BEFORE, MIGRATIONS = "0005", ("0006", "0007", "0008")
PROBE_EVERY = 0.02
FIRST_PAGE = "SELECT id, title FROM articles_article ORDER BY published_at DESC, id DESC LIMIT 20"


class Reader(threading.Thread):
    """Reads the first page over its own connection until stopped; `longest` is its slowest read, in seconds."""

    def __init__(self, settings):
        super().__init__(daemon=True)
        self.settings, self.longest, self.stopped = settings, 0.0, threading.Event()

    def run(self):
        db = self.settings
        options = {"dbname": db["NAME"], "user": db["USER"], "host": db["HOST"], "port": db["PORT"]}
        with psycopg.connect(**options, password=db["PASSWORD"], autocommit=True) as reader:
            while not self.stopped.wait(PROBE_EVERY):
                started = time.perf_counter()
                reader.execute(FIRST_PAGE).fetchall()
                self.longest = max(self.longest, time.perf_counter() - started)


def run(report, *, size):
    with scratch_database("_scale_migration"):
        call_command("migrate", "articles", BEFORE, verbosity=0)
        started = time.perf_counter()
        scale_data.fill(0, size)
        report(f"filled to {size:,} articles at migration {BEFORE} in {time.perf_counter() - started:.1f} s")
        for migration in MIGRATIONS:
            reader = Reader(connection.settings_dict)
            reader.start()
            started = time.perf_counter()
            call_command("migrate", "articles", migration, verbosity=0)
            seconds = time.perf_counter() - started
            reader.stopped.set()
            reader.join()
            report(
                f"migration {migration}: {seconds:.1f} s; the longest read of the first page meanwhile: "
                f"{reader.longest * 1000:.0f} ms"
            )
