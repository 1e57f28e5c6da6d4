"""
Writing many rows at once on PostgreSQL: new rows by COPY, changed ones by one UPDATE from a JSON array of them;
through the ORM elsewhere (SQLite).

Django's `bulk_update` builds a CASE per column with a branch per row, and `bulk_create` resolves an
expression per value: for the hundreds of stories and thousands of terms an ingest batch changes, or the
feeds a crawl's batch fetched, both cost more than the work itself (docs/BENCHMARKS.md, "Ingest with stories").
"""

import json

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
    columns = [model._meta.pk, *(model._meta.get_field(name) for name in fields)]
    names = [column.column for column in columns]
    rows = [dict(zip(names, values(row, columns), strict=True)) for row in instances]
    typed = ", ".join(f"{column.column} {column.db_type(connection)}" for column in columns)
    assignments = ", ".join(f"{name} = changed.{name}" for name in names[1:])
    with connection.cursor() as cursor:  # one statement: a temporary table to COPY into cost more to make
        cursor.execute(
            f"UPDATE {model._meta.db_table} AS stored SET {assignments} "  # noqa: S608 (the model's names)
            f"FROM jsonb_to_recordset(%s::jsonb) AS changed({typed}) WHERE stored.id = changed.id",
            [json.dumps(rows, default=_json_value)],
        )


def _json_value(value):
    """A value json cannot write: a JSON field's (Jsonb), or a date and time, in full (DjangoJSONEncoder drops the
    microseconds' last digits)."""
    return value.obj if isinstance(value, Jsonb) else value.isoformat()


def next_ids(model, count):
    """`count` ids for new rows of `model`, reserved from its table's sequence; elsewhere (SQLite, one writer at a
    time) those after the largest."""
    if connection.vendor != "postgresql":
        start = (model.objects.aggregate(largest=Max("pk"))["largest"] or 0) + 1
        return list(range(start, start + count))
    if not count:
        return []
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {next_id(model)} FROM generate_series(1, %s)", [count])  # noqa: S608 (the model's)
        return [key for (key,) in cursor.fetchall()]


def next_id(model):
    """SQL for the next id of `model`'s table (PostgreSQL). Its sequence is looked up once a statement (a scalar
    subquery, which PostgreSQL runs once), not for every row: 400 ids took 2.8 ms that way, 0.7 ms this way."""
    return f"nextval((SELECT pg_get_serial_sequence('{model._meta.db_table}', 'id'))::regclass)"


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
