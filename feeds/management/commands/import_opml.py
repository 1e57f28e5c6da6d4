from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from articles.models import Category
from feeds.services.opml import BadOpml, feeds_import


class Command(BaseCommand):
    help = "Subscribe to the feeds of an OPML file (categories from its outlines); none is fetched yet."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--category", choices=Category.values, default=Category.GENERAL, help="for outlines without a known one"
        )

    def handle(self, *, file, category, **options):
        try:
            data = file.read_bytes()
        except OSError as exc:
            raise CommandError(f"Cannot read {file}: {exc.strerror}.") from None
        try:
            imported = feeds_import(data, default_category=category)
        except BadOpml as exc:
            raise CommandError(f"{file}: {exc}") from None
        self.stdout.write(imported.sentence())
