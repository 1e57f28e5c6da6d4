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
# Stories a statement of index_stale_stories names: a run may leave tens of thousands, more than a query's parameters.
STALE_CHUNK = 10_000


def story_terms(stories):
    """The StoryTerm rows (tuples of TERM_FIELDS) of stories given as (id, centroid, last_published_at)."""
    return [(key, term, weight, last) for key, centroid, last in stories for term, weight in centroid.items()]


def terms_create(terms):
    """Insert StoryTerm rows, each given as a tuple of TERM_FIELDS."""
    if connection.vendor != "postgresql":
        StoryTerm.objects.bulk_create([StoryTerm(**dict(zip(TERM_FIELDS, term, strict=True))) for term in terms])
        return
    copy_rows(StoryTerm, TERM_FIELDS, terms)


def index_stale_stories():
    """Write the StoryTerm rows of the stories marked `terms_stale` from their stored centroids, and unmark them.
    A story another transaction has locked is left for the next call (SKIP LOCKED: that one may be flushing it too,
    and neither waits for the other)."""
    stale = Story.objects.filter(terms_stale=True).select_for_update(skip_locked=True).order_by("id")
    rows = list(stale.values_list("id", "centroid", "last_published_at"))
    for start in range(0, len(rows), STALE_CHUNK):
        chunk = rows[start : start + STALE_CHUNK]
        keys = [key for key, _, _ in chunk]
        StoryTerm.objects.filter(story_id__any=keys).delete()
        terms_create(story_terms(chunk))
        Story.objects.filter(id__any=keys).update(terms_stale=False)
