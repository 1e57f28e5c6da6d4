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


def held_by_another_session(lock_id, *, connection=None):
    """Whether a session other than `connection`'s holds the advisory lock `lock_id`; None where nobody can tell
    (databases other than PostgreSQL). It only looks (pg_locks), so it never keeps the holder-to-be waiting."""
    connection = connection or default_connection
    if connection.vendor != "postgresql":
        return None
    # pg_locks shows a 64-bit key as two 32-bit halves: classid the high one, objid the low one (objsubid 1).
    # It lists every database of the server; an advisory lock belongs to one.
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND granted"
            " AND database = (SELECT oid FROM pg_database WHERE datname = current_database())"
            " AND classid::bigint = %s AND objid::bigint = %s AND objsubid = 1 AND pid <> pg_backend_pid())",
            [lock_id >> 32, lock_id & 0xFFFF_FFFF],
        )
        return cursor.fetchone()[0]
