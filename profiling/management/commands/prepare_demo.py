import secrets

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from rest_framework_api_key.models import APIKey

DEMO_KEY_NAME = "make run demo"


class Command(BaseCommand):
    help = (
        "For `make run`: the `admin` superuser with a new password, and a new demo API key (the previous one is "
        "revoked). Prints the password, then the key, one a line."
    )

    def handle(self, **options):
        password = secrets.token_urlsafe(12)
        user, _ = get_user_model().objects.get_or_create(username="admin")
        user.is_staff = user.is_superuser = True
        user.set_password(password)
        user.save()
        APIKey.objects.filter(name=DEMO_KEY_NAME, revoked=False).update(revoked=True)
        _, key = APIKey.objects.create_key(name=DEMO_KEY_NAME)
        self.stdout.write(f"{password}\n{key}")
