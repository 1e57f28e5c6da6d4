"""
Writing many stories and index terms at once: by COPY on PostgreSQL, through the ORM elsewhere (SQLite).

Django's `bulk_update` builds a CASE per column with a branch per row, and `bulk_create` resolves an
expression per value: for the hundreds of stories and thousands of terms an ingest batch changes, both cost
more than the grouping itself (docs/BENCHMARKS.md, "Ingest with stories").
"""

from django.db import connection
from django.db.models import Max
from psycopg.types.json import Jsonb

from .models import Story, StoryTerm

# Stories a bulk_update statement sets (not PostgreSQL): its CASE per column grows with the rows, its cost with
# their square.
UPDATE_BATCH = 25


def stories_update(stories, fields):
    """Write the fields `fields` (names) of the stored Story objects `stories`."""
    stories = list(stories)
    if not stories:
        return
    if connection.vendor != "postgresql":
        Story.objects.bulk_update(stories, fields, batch_size=UPDATE_BATCH)
        return
    columns = [Story._meta.get_field(name) for name in fields]
    names = [column.column for column in columns]
    table = Story._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TEMPORARY TABLE changed_story AS SELECT id, {', '.join(names)} FROM {table} WITH NO DATA"  # noqa: S608 (the model's)
        )
        _copy(cursor, "changed_story", ["id", *names], ([story.pk, *_values(story, columns)] for story in stories))
        cursor.execute(
            f"UPDATE {table} AS story SET {', '.join(f'{name} = changed.{name}' for name in names)} "  # noqa: S608
            f"FROM changed_story AS changed WHERE story.id = changed.id"
        )
        cursor.execute("DROP TABLE changed_story")


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
            "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
            [model._meta.db_table, count],
        )
        return [key for (key,) in cursor.fetchall()]


def stories_create(stories):
    """Insert the new Story objects `stories`: those without an id get one from next_ids."""
    keyless = [story for story in stories if story.pk is None]
    for story, key in zip(keyless, next_ids(Story, len(keyless)), strict=True):
        story.pk = key
    if connection.vendor != "postgresql":
        return Story.objects.bulk_create(stories)
    table = Story._meta.db_table
    columns = [field for field in Story._meta.concrete_fields if not field.primary_key]
    with connection.cursor() as cursor:
        rows = ([story.pk, *_values(story, columns)] for story in stories)
        _copy(cursor, table, ["id", *(column.column for column in columns)], rows)
    return stories


TERM_FIELDS = ("story_id", "term", "weight", "last_published_at")


def terms_create(terms):
    """Insert StoryTerm rows, each given as a tuple of TERM_FIELDS."""
    if connection.vendor != "postgresql":
        StoryTerm.objects.bulk_create([StoryTerm(**dict(zip(TERM_FIELDS, term, strict=True))) for term in terms])
        return
    copy_rows(StoryTerm, TERM_FIELDS, terms)


def copy_rows(model, names, rows):
    """Insert `rows` (tuples of the columns `names`) into the table of `model` by COPY (PostgreSQL)."""
    with connection.cursor() as cursor:
        _copy(cursor, model._meta.db_table, names, rows)


def _values(instance, columns):
    for column in columns:
        value = getattr(instance, column.attname)
        yield Jsonb(value) if column.get_internal_type() == "JSONField" else value


def _copy(cursor, table, names, rows):
    # psycopg's COPY bypasses Django's cursor: wrap its errors as Django's, as the cursor does.
    with (
        connection.wrap_database_errors,
        cursor.cursor.copy(f"COPY {table} ({', '.join(names)}) FROM STDIN") as copy,
    ):
        for row in rows:
            copy.write_row(row)
