"""Article.feed, the feed an article came from, and its index: cheap on a table of millions of articles.

On PostgreSQL the column is added without a default (no rewrite of the table), its foreign key is added
NOT VALID and then validated (the validating scan lets reads and writes go on), and the index is built
CONCURRENTLY (which no transaction may hold: hence atomic = False). Elsewhere (SQLite), Django's own
AddField and AddIndex. The state is theirs in both cases.
"""

import django.db.models.deletion
from django.contrib.postgres.operations import AddIndexConcurrently
from django.db import migrations, models

POSTGRESQL_FORWARDS = [
    "ALTER TABLE articles_article ADD COLUMN feed_id bigint NULL",
    "ALTER TABLE articles_article ADD CONSTRAINT articles_article_feed_id_fk_feeds_feed_id "
    "FOREIGN KEY (feed_id) REFERENCES feeds_feed (id) DEFERRABLE INITIALLY DEFERRED NOT VALID",
    "ALTER TABLE articles_article VALIDATE CONSTRAINT articles_article_feed_id_fk_feeds_feed_id",
]


class AddFeedField(migrations.AddField):
    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor != "postgresql":
            return super().database_forwards(app_label, schema_editor, from_state, to_state)
        for statement in POSTGRESQL_FORWARDS:
            schema_editor.execute(statement)


class AddIndexConcurrentlyOnPostgreSQL(AddIndexConcurrently):
    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            return super().database_forwards(app_label, schema_editor, from_state, to_state)
        return migrations.AddIndex.database_forwards(self, app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            return super().database_backwards(app_label, schema_editor, from_state, to_state)
        return migrations.AddIndex.database_backwards(self, app_label, schema_editor, from_state, to_state)


class Migration(migrations.Migration):
    atomic = False

    dependencies = [("articles", "0008_scale_indexes"), ("feeds", "0001_initial")]

    operations = [
        AddFeedField(
            model_name="article",
            name="feed",
            field=models.ForeignKey(
                blank=True,
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="articles",
                to="feeds.feed",
            ),
        ),
        AddIndexConcurrentlyOnPostgreSQL(
            model_name="article",
            index=models.Index(
                condition=models.Q(("feed__isnull", False)), fields=["feed", "-published_at"], name="article_feed_newest"
            ),
        ),
    ]
