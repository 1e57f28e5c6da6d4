"""Indexes in the list's whole order (published_at, then id) for each filter, built and dropped CONCURRENTLY on
PostgreSQL (reads and writes go on meanwhile); and the `url` index for LIKE (varchar_pattern_ops) that Django adds
beside the unique one, which nothing queries with (every lookup is by equality) and every write kept up.
"""

from django.db import migrations, models

ADDED = [
    models.Index(fields=["category", "-published_at", "-id"], name="article_category_page"),
    models.Index(fields=["source", "-published_at", "-id"], name="article_source_page"),
    models.Index(fields=["source_name", "-published_at", "-id"], name="article_publisher_page"),
]
REMOVED = [
    models.Index(fields=["category", "-published_at"], name="article_category_newest"),
    models.Index(fields=["source", "-published_at"], name="article_source_newest"),
]


def swap(adding, removing):
    def run(apps, schema_editor):
        model = apps.get_model("articles", "Article")
        concurrently = {"concurrently": True} if schema_editor.connection.vendor == "postgresql" else {}
        for index in adding:
            schema_editor.add_index(model, index, **concurrently)
        for index in removing:
            schema_editor.remove_index(model, index, **concurrently)

    return run


def drop_url_pattern_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        name = schema_editor._create_index_name("articles_article", ["url"], suffix="_like")
        schema_editor.execute(f"DROP INDEX CONCURRENTLY IF EXISTS {schema_editor.quote_name(name)}")


class Migration(migrations.Migration):
    atomic = False
    dependencies = [("articles", "0007_scale_search")]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[migrations.RunPython(swap(ADDED, REMOVED), swap(REMOVED, ADDED), atomic=False)],
            state_operations=[
                *(migrations.RemoveIndex(model_name="article", name=index.name) for index in REMOVED),
                *(migrations.AddIndex(model_name="article", index=index) for index in ADDED),
            ],
        ),
        migrations.RunPython(drop_url_pattern_index, migrations.RunPython.noop, atomic=False),
    ]
