"""
Writing many rows at once: by COPY on PostgreSQL, through the ORM elsewhere (SQLite).

Django's `bulk_update` builds a CASE per column with a branch per row, and `bulk_create` resolves an
expression per value: for the hundreds of stories and thousands of terms an ingest batch changes, or the
feeds a crawl's batch fetched, both cost more than the work itself (docs/BENCHMARKS.md, "Ingest with stories").
"""

from django.db import connection
from django.db.models import Max
from psycopg.types.json import Jsonb

# Rows a bulk_update statement sets (not PostgreSQL): its CASE per column grows with the rows, its cost with
# their square.
UPDATE_BATCH = 25


def rows_update(model, instances, fields):
    """Write the fields `fields` (names) of the stored `model` objects `instances`."""
    instances = list(instances)
    if not instances:
        return
    if connection.vendor != "postgresql":
        model.objects.bulk_update(instances, fields, batch_size=UPDATE_BATCH)
        return
    columns = [model._meta.get_field(name) for name in fields]
    names = [column.column for column in columns]
    table = model._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TEMPORARY TABLE changed_row AS SELECT id, {', '.join(names)} FROM {table} WITH NO DATA"  # noqa: S608 (the model's)
        )
        copy(cursor, "changed_row", ["id", *names], ([row.pk, *values(row, columns)] for row in instances))
        cursor.execute(
            f"UPDATE {table} AS stored SET {', '.join(f'{name} = changed.{name}' for name in names)} "  # noqa: S608
            f"FROM changed_row AS changed WHERE stored.id = changed.id"
        )
        cursor.execute("DROP TABLE changed_row")


def next_ids(model, count):
    """`count` ids for new rows of `model`, reserved from its table's sequence; elsewhere (SQLite, one writer at a
    time) those after the largest."""
    if connection.vendor != "postgresql":
        start = (model.objects.aggregate(largest=Max("pk"))["largest"] or 0) + 1
        return list(range(start, start + count))
    if not count:
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(sequence.id) FROM (SELECT pg_get_serial_sequence(%s, 'id')::regclass AS id) AS sequence, "
            "generate_series(1, %s)",
            [model._meta.db_table, count],
        )
        return [key for (key,) in cursor.fetchall()]


def copy_rows(model, names, rows):
    """Insert `rows` (tuples of the columns `names`) into the table of `model` by COPY (PostgreSQL)."""
    with connection.cursor() as cursor:
        copy(cursor, model._meta.db_table, names, rows)


def values(instance, columns):
    """The values of the model fields `columns` of `instance`, as COPY takes them."""
    for column in columns:
        value = getattr(instance, column.attname)
        yield Jsonb(value) if column.get_internal_type() == "JSONField" else value


def copy(cursor, table, names, rows):
    """COPY `rows` into the columns `names` of `table`, through the Django cursor `cursor`."""
    # psycopg's COPY bypasses Django's cursor: wrap its errors as Django's, as the cursor does.
    with (
        connection.wrap_database_errors,
        cursor.cursor.copy(f"COPY {table} ({', '.join(names)}) FROM STDIN") as copying,
    ):
        for row in rows:
            copying.write_row(row)
