"""Indexes in the list's whole order (published_at, then id) for each filter, built and dropped CONCURRENTLY on
PostgreSQL (reads and writes go on meanwhile); and the `url` index for LIKE (varchar_pattern_ops) that Django adds
beside the unique one, which nothing queries with (every lookup is by equality) and every write kept up.
"""

from django.db import migrations, models

from articles.resumable_ddl import add_index_concurrently, drop_index_concurrently

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
        if schema_editor.connection.vendor != "postgresql":
            for index in adding:
                schema_editor.add_index(model, index)
            for index in removing:
                schema_editor.remove_index(model, index)
            return
        for index in adding:
            add_index_concurrently(schema_editor, model, index)
        for index in removing:
            drop_index_concurrently(schema_editor, index.name)

    return run


def drop_url_pattern_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        drop_index_concurrently(
            schema_editor, schema_editor._create_index_name("articles_article", ["url"], suffix="_like")
        )


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
