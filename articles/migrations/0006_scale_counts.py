"""Article counts kept per (source, publisher, category) by statement-level triggers on PostgreSQL.

Each statement that inserts, updates or deletes articles (an ingest's COPY upsert, the admin's deletes, a
story regrouping's update) adds its transition tables' rows to the counts, grouped: one small upsert per
statement, whatever its size. TRUNCATE empties them. The counts start from the table as it is, in the same
transaction as the triggers (CREATE TRIGGER blocks writes, not reads, until the migration commits; the
GROUP BY reads the table once: about a second at 1 M articles). SQLite (development) counts the table instead.
"""

from django.db import migrations, models

from articles.models import SOURCE_CHOICES, Category

ADDED = "SELECT source, source_name, category, 1 AS n FROM new_rows"
REMOVED = "SELECT source, source_name, category, -1 AS n FROM old_rows"
# One function per kind of statement: each names only the transition tables its trigger has.
CHANGES = {"inserts": ADDED, "deletes": REMOVED, "updates": f"{ADDED} UNION ALL {REMOVED}"}
FUNCTION = """
CREATE FUNCTION articles_count_{kind}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO articles_articlecount (source, source_name, category, count)
    SELECT source, source_name, category, sum(n) FROM ({changes}) AS changed
    GROUP BY source, source_name, category HAVING sum(n) <> 0
    ORDER BY source, source_name, category  -- one order for every writer: no deadlock between two
    ON CONFLICT (source, source_name, category) DO UPDATE SET count = articles_articlecount.count + EXCLUDED.count;
    RETURN NULL;
END $$;
"""
TABLES = {
    "inserts": "NEW TABLE AS new_rows",
    "deletes": "OLD TABLE AS old_rows",
    "updates": "OLD TABLE AS old_rows NEW TABLE AS new_rows",
}
TRIGGER = """
CREATE TRIGGER articles_count_{kind} AFTER {event} ON articles_article
    REFERENCING {tables} FOR EACH STATEMENT EXECUTE FUNCTION articles_count_{kind}();
"""
ON_TRUNCATE = """
CREATE FUNCTION articles_count_truncates() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM articles_articlecount;
    RETURN NULL;
END $$;
CREATE TRIGGER articles_count_truncates AFTER TRUNCATE ON articles_article
    FOR EACH STATEMENT EXECUTE FUNCTION articles_count_truncates();
"""
FROM_THE_TABLE = """
INSERT INTO articles_articlecount (source, source_name, category, count)
    SELECT source, source_name, category, count(*) FROM articles_article GROUP BY source, source_name, category;
"""
ON_CHANGES = "".join(
    FUNCTION.format(kind=kind, changes=changes)
    + TRIGGER.format(kind=kind, event=kind[:-1].upper(), tables=TABLES[kind])
    for kind, changes in CHANGES.items()
)
KEEP_COUNTS = ON_CHANGES + ON_TRUNCATE + FROM_THE_TABLE
STOP_KEEPING = "".join(f"DROP FUNCTION articles_count_{kind}() CASCADE;" for kind in [*CHANGES, "truncates"])


def keep_counts(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(KEEP_COUNTS)


def stop_keeping(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(STOP_KEEPING)


class Migration(migrations.Migration):
    dependencies = [("articles", "0005_source_feeds")]

    operations = [
        migrations.CreateModel(
            name="ArticleCount",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("source", models.CharField(choices=SOURCE_CHOICES, max_length=16)),
                ("source_name", models.CharField(blank=True, max_length=200, verbose_name="publisher")),
                ("category", models.CharField(choices=Category.choices, max_length=16)),
                ("count", models.BigIntegerField(default=0)),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(fields=("source", "source_name", "category"), name="articlecount_unique")
                ],
            },
        ),
        migrations.RunPython(keep_counts, stop_keeping),
    ]
