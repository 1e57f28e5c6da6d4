"""The API's caches follow the database: a key or an article changed counts from the next request on.

The ingest writes articles in bulk, which sends no signals: it ends the cached pages itself.
"""

from django.db import transaction

from .authentication import forget_key
from .response_cache import invalidate_pages


def key_changed(sender, instance, **kwargs):
    transaction.on_commit(lambda: forget_key(instance))


def article_changed(sender, instance, **kwargs):
    transaction.on_commit(invalidate_pages)
