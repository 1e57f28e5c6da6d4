from django.db import transaction
from django.dispatch import Signal

# Sent once a change to the stored articles is committed (the ingest created or updated some, the admin
# deleted some): whatever keeps copies of them, such as the API's page cache, listens.
articles_changed = Signal()


def send_articles_changed_on_commit():
    """articles_changed, once the current transaction commits (at once outside one)."""
    transaction.on_commit(lambda: articles_changed.send(sender=None))
