"""The API's caches follow the database: a changed key or articles count from the next request on."""

from django.db import transaction

from .keys import forget_key
from .pagecache import invalidate_pages


def key_changed(sender, instance, created=False, **kwargs):
    if not created:  # a new key has no state remembered to forget
        transaction.on_commit(lambda: forget_key(instance))


def articles_changed(sender, **kwargs):
    invalidate_pages()
