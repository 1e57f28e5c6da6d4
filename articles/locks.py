"""PostgreSQL advisory locks: one process at a time, across every machine that shares the database."""

from contextlib import contextmanager

from django.db import connection as default_connection

# Any fixed 64-bit numbers, the same in every process, and each used by one lock only.
INGEST_LOCK_ID = 7_305_110_402_213_019
MIGRATE_LOCK_ID = 7_305_110_402_213_020


@contextmanager
def advisory_lock(lock_id, *, wait, connection=None):
    """Hold the session advisory lock `lock_id` for the block; yield whether it is held.

    With `wait`, wait for another session to let it go; without, yield False at once if one holds it.
    `connection` is the session that holds it (the default one unless given). Only PostgreSQL has
    them; other databases (SQLite) have no second writer to keep out, and always yield True.
    """
    connection = connection or default_connection
    if connection.vendor != "postgresql":
        yield True
        return
    with connection.cursor() as cursor:
        if wait:
            cursor.execute("SELECT pg_advisory_lock(%s)", [lock_id])
            acquired = True
        else:
            cursor.execute("SELECT pg_try_advisory_lock(%s)", [lock_id])
            acquired = cursor.fetchone()[0]
    try:
        yield acquired
    finally:
        if acquired:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s)", [lock_id])
