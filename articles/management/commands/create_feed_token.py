from django.core.management.base import BaseCommand, CommandError
from rest_framework_api_key.models import APIKey

from articles.api.feedtokens import feed_token_create
from articles.api.models import FeedToken

MAX_NAME_LENGTH = FeedToken._meta.get_field("name").max_length


class Command(BaseCommand):
    help = (
        "Create a feed token for an API key: feed readers put it in the Atom feed's address. The token is printed "
        "once, alone on the last line; only its hash is kept."
    )

    def add_arguments(self, parser):
        parser.add_argument("key_prefix", help="the API key's prefix (create_api_key prints it; the admin lists it)")
        parser.add_argument("--name", default="", help=f"who reads with it (at most {MAX_NAME_LENGTH} characters)")

    def handle(self, *, key_prefix, name, **options):
        name = name.strip()
        if len(name) > MAX_NAME_LENGTH:
            raise CommandError(f"--name must be at most {MAX_NAME_LENGTH} characters, not {len(name)}.")
        api_key = APIKey.objects.filter(prefix=key_prefix.strip()).first()
        if api_key is None:
            raise CommandError(f"No API key has the prefix {key_prefix!r}: the admin's API keys lists them.")
        if api_key.revoked or api_key.has_expired:
            raise CommandError(f"The API key {api_key.name!r} is revoked or expired: its feed tokens would be refused.")
        feed_token, token = feed_token_create(api_key=api_key, name=name)
        self.stderr.write(
            f"Created feed token {feed_token.prefix}… for API key {api_key.name!r}. Store it now: it cannot be shown "
            f"again. Feed readers subscribe to /api/articles/feed.atom?token=<token>&<filters>; revoke it with "
            f"revoke_feed_token {feed_token.prefix} or in the admin (Feed tokens)."
        )
        self.stdout.write(token)
