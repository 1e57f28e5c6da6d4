from django.core.management.base import BaseCommand, CommandError

from articles.models import Category
from feeds.services.subscribe import CannotAdd, feed_add


class Command(BaseCommand):
    help = "Subscribe to a feed (RSS, Atom or JSON Feed), or to the feed a web page names; it is checked first."

    def add_arguments(self, parser):
        parser.add_argument("url", help='the feed\'s URL, or a page with a <link rel="alternate"> to it')
        parser.add_argument("--category", choices=Category.values, default=Category.GENERAL, help="default: general")
        parser.add_argument("--title", default="", help="default: the feed's own title")

    def handle(self, *, url, category, title, **options):
        try:
            added = feed_add(url=url, category=category, title=title)
        except CannotAdd as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(added.sentence())
