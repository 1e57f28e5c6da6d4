"""
Writing many stories and index terms at once: by COPY on PostgreSQL, through the ORM elsewhere (SQLite)
(articles/services/bulk_writes.py says why).
"""

from django.db import connection

from articles.services.bulk_writes import copy, copy_rows, next_ids, values

from .models import Story, StoryTerm


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
        rows = ([story.pk, *values(story, columns)] for story in stories)
        copy(cursor, table, ["id", *(column.column for column in columns)], rows)
    return stories


TERM_FIELDS = ("story_id", "term", "weight", "last_published_at")


def terms_create(terms):
    """Insert StoryTerm rows, each given as a tuple of TERM_FIELDS."""
    if connection.vendor != "postgresql":
        StoryTerm.objects.bulk_create([StoryTerm(**dict(zip(TERM_FIELDS, term, strict=True))) for term in terms])
        return
    copy_rows(StoryTerm, TERM_FIELDS, terms)
