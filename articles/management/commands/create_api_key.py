from django.core.management.base import BaseCommand, CommandError
from rest_framework_api_key.models import APIKey

MAX_NAME_LENGTH = APIKey._meta.get_field("name").max_length


class Command(BaseCommand):
    help = "Create an API key for a client. The key is printed once, alone on the last line; only its hash is kept."

    def add_arguments(self, parser):
        parser.add_argument("name", help=f"who the key is for (at most {MAX_NAME_LENGTH} characters)")

    def handle(self, *, name, **options):
        name = name.strip()
        if not name or len(name) > MAX_NAME_LENGTH:
            raise CommandError(f"NAME must be 1 to {MAX_NAME_LENGTH} characters, not {len(name)}.")
        api_key, key = APIKey.objects.create_key(name=name)
        self.stderr.write(
            f"Created API key {name!r} (prefix {api_key.prefix}). Store it now: it cannot be shown again. "
            "Revoke it in the admin (API keys)."
        )
        self.stdout.write(key)
