from pathlib import Path

from django.core.management.base import BaseCommand

from feeds.services.opml import feeds_export


class Command(BaseCommand):
    help = "Write every feed as OPML 2.0, one outline per category: on stdout, or to --output."

    def add_arguments(self, parser):
        parser.add_argument("--output", type=Path, help="a file to write (default: stdout)")

    def handle(self, *, output, **options):
        document = feeds_export()
        if output:
            output.write_bytes(document)
        else:
            self.stdout.write(document.decode(), ending="")
