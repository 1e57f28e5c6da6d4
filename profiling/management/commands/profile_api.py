import re
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from profiling import api_profile

START, END = "<!-- profile_api: start -->", "<!-- profile_api: end -->"


class Command(BaseCommand):
    help = "Load-test the API under gunicorn with hey, against PostgreSQL and Redis, and write docs/BENCHMARKS.md."

    def add_arguments(self, parser):
        parser.add_argument("--duration", type=int, default=10, help="seconds a case and round (default 10)")
        parser.add_argument("--warm-up", type=int, default=3, help="seconds of warm-up a case and round (default 3)")
        parser.add_argument("--rounds", type=int, default=3, help="rounds, the cases taking turns (default 3)")
        parser.add_argument("--concurrency", type=int, default=10, help="requests at once (default 10)")
        parser.add_argument("--no-write", action="store_true", help="print the report, leave docs/BENCHMARKS.md")

    def handle(self, *, duration, warm_up, concurrency, rounds, no_write, **options):
        if connection.vendor != "postgresql" or not settings.REDIS_URL:
            raise CommandError(
                "profile_api measures the production set-up: set DATABASE_URL=postgres://... and REDIS_URL."
            )
        if min(duration, concurrency, rounds) < 1 or warm_up < 0:
            raise CommandError("--duration, --concurrency and --rounds must be at least 1, --warm-up at least 0.")
        if not api_profile.hey_is_installed():
            raise CommandError(api_profile.HEY_MISSING)
        results = api_profile.run(
            duration=duration, warm_up=warm_up, concurrency=concurrency, rounds=rounds, report=self.stderr.write
        )
        report = api_profile.markdown(
            results, command="make profile", concurrency=concurrency, duration=duration, rounds=rounds
        )
        self.stdout.write(report)
        if not no_write:
            path = Path(settings.BASE_DIR) / "docs" / "BENCHMARKS.md"
            text = path.read_text()
            section = f"{START}\n{report}\n{END}"
            pattern = re.compile(re.escape(START) + ".*?" + re.escape(END), re.S)
            path.write_text(pattern.sub(lambda _: section, text) if pattern.search(text) else f"{text}\n{section}\n")
            self.stderr.write(f"Written to {path}.")
