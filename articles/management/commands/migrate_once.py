import time

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import OperationalError, connections

from articles.locks import MIGRATE_LOCK_ID, advisory_lock
from newsproject.text import first_line


class Command(BaseCommand):
    help = (
        "Wait for the database, then apply the migrations, one process at a time: replicas that start together "
        "migrate once (a PostgreSQL advisory lock; the others wait for it, then find nothing to do)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--wait", type=float, default=60.0, help="seconds to wait for the database (default 60)")

    def handle(self, *, wait, verbosity, **options):
        # The lock's own session: migrate may close and reopen the default connection, which would free it.
        lock = connections.create_connection("default")
        try:
            self.connect(lock, wait)
            with advisory_lock(MIGRATE_LOCK_ID, wait=True, connection=lock):
                call_command("migrate", interactive=False, verbosity=verbosity, stdout=self.stdout, stderr=self.stderr)
        finally:
            lock.close()

    def connect(self, lock, wait):
        deadline = time.monotonic() + wait
        while True:
            try:
                lock.ensure_connection()
                return
            except OperationalError as exc:
                if time.monotonic() >= deadline:
                    raise CommandError(f"The database did not answer in {wait:g} s: {first_line(exc)}") from None
                time.sleep(1)
