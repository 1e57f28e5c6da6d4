"""The articles' indexes on PostgreSQL (migrations 0007, 0008): what the reads use, and nothing every write keeps
up for no read."""

import pytest
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
