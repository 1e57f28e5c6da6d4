"""The articles' indexes on PostgreSQL (migrations 0007, 0008): what the reads use, and nothing every write keeps
up for no read."""

from importlib import import_module

import pytest
from django.apps import apps
from django.db import connection


def index_definitions():
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'articles_article'")
        return dict(cursor.fetchall())


@pytest.mark.django_db
def test_there_is_no_url_index_for_like_beside_the_unique_one(postgres):
    definitions = index_definitions()

    assert not [name for name, definition in definitions.items() if "pattern_ops" in definition]
    assert any("UNIQUE" in definition and "(url)" in definition for definition in definitions.values())


@pytest.mark.django_db
def test_the_search_index_is_on_the_stored_vector_only(postgres):
    definitions = index_definitions()

    assert definitions["article_search_vector"].endswith("USING gin (search_vector)")
    assert "article_search" not in definitions


@pytest.mark.django_db(transaction=True)
def test_a_second_run_of_the_long_migrations_takes_up_where_a_stopped_first_left_off(postgres, make_articles):
    """0007 and 0008 commit step by step: stopped halfway, `migrate` runs them again from their start. Here the
    second run meets everything the first made, a vector cleared and an index that a stopped CONCURRENTLY build
    left invalid."""
    search, indexes = (
        import_module(f"articles.migrations.{name}") for name in ("0007_scale_search", "0008_scale_indexes")
    )
    make_articles(3)
    with connection.cursor() as cursor:
        cursor.execute("ALTER TABLE articles_article DISABLE TRIGGER articles_search_vector")
        cursor.execute(
            "UPDATE articles_article SET search_vector = NULL WHERE id = (SELECT min(id) FROM articles_article)"
        )
        cursor.execute("ALTER TABLE articles_article ENABLE TRIGGER articles_search_vector")
        for name in ("article_search_vector", "article_category_page"):
            cursor.execute("UPDATE pg_index SET indisvalid = false WHERE indexrelid = %s::regclass", [name])

    with connection.schema_editor(atomic=False) as schema_editor:
        for operation in (search.add_column, search.keep_vectors, indexes.swap(indexes.ADDED, indexes.REMOVED)):
            operation(apps, schema_editor)

    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM articles_article WHERE search_vector IS NULL")
        assert cursor.fetchone()[0] == 0
        cursor.execute("SELECT count(*) FROM pg_index WHERE indrelid = 'articles_article'::regclass AND NOT indisvalid")
        assert cursor.fetchone()[0] == 0
    assert set(index_definitions()) >= {"article_search_vector", "article_category_page", "article_source_page"}
