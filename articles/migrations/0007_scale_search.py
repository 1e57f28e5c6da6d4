"""The articles' text-search vector, stored and kept by a trigger, with its GIN index; migration 0002's expression
index, which it supersedes, dropped.

Written for a table of millions that serves reads meanwhile (not atomic: each step commits on its own):
1. the column, nullable without a default: a change of the catalogue, instant;
2. the trigger that sets it on every insert, and on an update of the title or description;
3. the vector of the rows already there, BATCH rows per transaction (each locks only its rows, for its moment);
4. the GIN index, built CONCURRENTLY (reads and writes go on), then 0002's index dropped CONCURRENTLY.
At 1 M articles on the 2-core machine, about a minute and a half in all (docs/BENCHMARKS.md). SQLite (development)
gets the column only: it searches with a contains-match.
"""

import django.contrib.postgres.search
from django.db import migrations

from articles.resumable_ddl import drop_if_invalid, drop_index_concurrently

BATCH = 10_000
FIELD = django.contrib.postgres.search.SearchVectorField(editable=False, null=True)
VECTOR = (
    "setweight(to_tsvector('english', coalesce({row}title, '')), 'A') || "
    "setweight(to_tsvector('english', coalesce({row}description, '')), 'B')"
)
KEEP_VECTOR = f"""
CREATE OR REPLACE FUNCTION articles_search_vector() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.search_vector := {VECTOR.format(row="NEW.")};
    RETURN NEW;
END $$;
CREATE OR REPLACE TRIGGER articles_search_vector BEFORE INSERT OR UPDATE OF title, description ON articles_article
    FOR EACH ROW EXECUTE FUNCTION articles_search_vector();
"""
FILL_BATCH = f"UPDATE articles_article SET search_vector = {VECTOR.format(row='')} WHERE id >= %s AND id < %s AND search_vector IS NULL"  # noqa: S608


def add_column(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":  # IF NOT EXISTS: a second run after a stopped first
        schema_editor.execute("ALTER TABLE articles_article ADD COLUMN IF NOT EXISTS search_vector tsvector")
    else:
        schema_editor.add_field(apps.get_model("articles", "Article"), field("search_vector"))


def remove_column(apps, schema_editor):
    schema_editor.remove_field(apps.get_model("articles", "Article"), field("search_vector"))


def field(name):
    column = FIELD.clone()
    column.set_attributes_from_name(name)
    return column


def postgresql_only(step):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            step(schema_editor)

    return run


@postgresql_only
def keep_vectors(schema_editor):
    schema_editor.execute(KEEP_VECTOR)
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT coalesce(min(id), 0), coalesce(max(id), -1) FROM articles_article")
        first, last = cursor.fetchone()
        for start in range(first, last + 1, BATCH):
            cursor.execute(FILL_BATCH, [start, start + BATCH])  # autocommit: one transaction per batch
    drop_if_invalid(schema_editor, "article_search_vector")
    schema_editor.execute(
        "CREATE INDEX CONCURRENTLY IF NOT EXISTS article_search_vector ON articles_article USING gin (search_vector)"
    )
    drop_index_concurrently(schema_editor, "article_search")


@postgresql_only
def stop_keeping(schema_editor):
    drop_index_concurrently(schema_editor, "article_search_vector")
    schema_editor.execute("DROP FUNCTION IF EXISTS articles_search_vector() CASCADE")
    expression = VECTOR.format(row="")
    schema_editor.execute(
        f"CREATE INDEX CONCURRENTLY IF NOT EXISTS article_search ON articles_article USING gin (({expression}))"
    )


class Migration(migrations.Migration):
    atomic = False
    dependencies = [("articles", "0006_scale_counts")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.AddField(model_name="article", name="search_vector", field=FIELD)],
            database_operations=[migrations.RunPython(add_column, remove_column, atomic=False)],
        ),
        migrations.RunPython(keep_vectors, stop_keeping, atomic=False),
    ]
