from django.core.management.base import BaseCommand, CommandError

from articles.api.feedtokens import feed_token_revoke


class Command(BaseCommand):
    help = "Revoke a feed token: it is refused from its next request on. Its API key, and its other tokens, still work."

    def add_arguments(self, parser):
        parser.add_argument("token", help="the token, or its prefix (its first 8 characters, as the admin lists it)")

    def handle(self, *, token, **options):
        try:
            feed_token = feed_token_revoke(token_or_prefix=token.strip())
        except LookupError as exc:
            raise CommandError(f"Cannot revoke {token.strip()[:8]!r}…: {exc}.") from None
        self.stdout.write(f"Revoked feed token {feed_token.prefix}… of API key {feed_token.api_key.name!r}.")
