"""
Deciding a batch's grouping before its articles are written (services.py writes it).

`stories_plan(rows)` groups a batch of articles, ids included, in time order: it loads the candidate stories of the
batch's terms through the StoryTerm index within STORIES_WINDOW_HOURS of the batch (never a scan of the articles),
assigns, merges, and gives each article its story id (new stories' ids reserved from the sequence), so that each
article is written once, with its story.

Within `grouping_run()` (a fetch_articles run, which holds the ingest lock: nobody else groups meanwhile) the index
stays in memory from batch to batch. A batch loads from the database only the terms no batch before it asked for,
and a story's StoryTerm rows are written once, when the run ends (`Story.terms_stale`), not at every batch that
adds to it (docs/BENCHMARKS.md, "A run-long index"). The index is dropped, its stories' terms written, whenever
it may not be what is stored: after a batch that was not committed, when a stored story it adds to holds another
count than it knows (an article deleted meanwhile: services.stories_recount), and past MAX_RUN_STORIES stories.
"""

import logging
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import Error, transaction
from django.db.models import Count, Sum

from articles.services.bulk_writes import next_ids
from newsproject.text import first_line

from .grouping import CANDIDATE_TERMS, MAX_POSTINGS, Index, StoryState
from .models import Story, StoryTerm
from .storing import index_stale_stories
from .terms import terms_of

logger = logging.getLogger(__name__)

ARTICLE_FIELDS = ("id", "title", "description", "source_name", "category", "published_at")
# Stories a run's index holds (about 3 KB each) past which it is dropped and loaded again as batches need.
MAX_RUN_STORIES = 50_000

_run = ContextVar("grouping_run", default=None)


@dataclass
class StoriesPlan:
    """A batch's grouping, decided and not yet written: `story_of` gives each article's story id (new stories' ids
    reserved from the sequence), so that the articles can be written with their stories before `stories_save`."""

    rows: dict  # article id: its row (ARTICLE_FIELDS)
    new: list  # the StoryState objects of the batch's new stories
    stored: list  # and of the stored ones it added to
    stored_rows: dict  # story id: the Story row of each of those, as read when the batch was planned
    merged: list  # (kept, gone): story ids, of each stored story merged into another
    story_of: dict


class _RunIndex:
    """What a run keeps between its batches: the index, the terms loaded into it, the ids of its stored stories."""

    def __init__(self):
        self.index, self.loaded, self.keys, self.uncommitted = None, set(), set(), False

    def committed(self):
        self.uncommitted = False

    def drop(self):
        index_stale_stories()
        self.index, self.loaded, self.keys = None, set(), set()


@contextmanager
def grouping_run():
    """Keep the grouping's index in memory between the batches of the block, which holds the ingest lock."""
    _write_stale_terms()  # a run killed before its end left them
    token = _run.set(_RunIndex())
    try:
        yield
    finally:
        _run.reset(token)
        try:
            _write_stale_terms()
        except Error as exc:
            logger.warning("the index terms of this run's stories are left to the next run: %s", first_line(exc))


def _write_stale_terms():
    with transaction.atomic():
        index_stale_stories()


def write_terms_unless_in_run():
    """The StoryTerm rows of the stories just changed, now, unless a run writes them at its end."""
    if _run.get() is None:
        index_stale_stories()


def stories_plan(rows, *, checked=False):
    """Group the articles `rows` (dicts of ARTICLE_FIELDS, ids included, stored or about to be) as one batch."""
    rows = sorted(rows, key=lambda row: (row["published_at"], row["id"]))
    vectors = [terms_of(row["title"], row["description"]) for row in rows]
    window = timedelta(hours=settings.STORIES_WINDOW_HOURS)
    since, until = rows[0]["published_at"] - window, rows[-1]["published_at"] + window
    run = _run.get()
    if run is None:
        index_stale_stories()
    elif run.uncommitted or (run.index is not None and len(run.index.live) > MAX_RUN_STORIES):
        run.drop()
    index = load_index(vectors, since, until, run=run)
    plan = _assigned(index, rows, vectors)
    plan.stored_rows = Story.objects.in_bulk([story.key for story in plan.stored])
    if run is None:
        return plan
    if not checked and any(_changed_since(story, plan.stored_rows) for story in plan.stored):
        run.drop()
        return stories_plan(rows, checked=True)
    run.index, run.uncommitted = index, True
    transaction.on_commit(run.committed)
    run.keys.update(story.key for story in plan.new)
    for story in [*plan.new, *plan.stored]:
        story.saved_size = story.size
    run.keys.difference_update(gone for _, gone in plan.merged)
    return plan


def _changed_since(story, stored_rows):
    stored = stored_rows.get(story.key)
    return stored is None or stored.article_count != story.saved_size


def _assigned(index, rows, vectors):
    assigned = {}  # the stories the batch's articles joined or started, in that order
    for row, vector in zip(rows, vectors, strict=True):
        assigned[index.assign(vector, row["published_at"], row["id"])] = True
    merges = index.merge_changed()
    assigned.update((kept, True) for kept, _ in merges)
    touched = [story for story in assigned if story.members]
    new = [story for story in touched if story.key is None]
    stored = [story for story in touched if story.key is not None]
    for story, key in zip(new, next_ids(Story, len(new)), strict=True):
        story.key = key
    story_of = {key: story.key for story in touched for key in story.members}
    for story in touched:
        story.members = []
    merged = [(kept.key, gone.key) for kept, gone in merges if gone.key is not None]
    return StoriesPlan({row["id"]: row for row in rows}, new, stored, {}, merged, story_of)


def load_index(vectors, since, until, *, run=None):
    """An Index of the stored stories that are candidates for the articles of `vectors`: those updated between
    `since` and `until` that hold one of an article's CANDIDATE_TERMS rarest terms, of the terms held by at most
    MAX_POSTINGS stories there (a word that common finds no event), so that what is loaded is bounded by the batch,
    never by the window's size. IDF counts every stored story of the window. With `run`, its index with what the
    terms no earlier batch asked for add to it."""
    terms = set().union(*vectors)
    if run is not None:
        terms -= run.loaded
        run.loaded |= terms
        if run.index is not None and not terms:
            return run.index
    in_window = StoryTerm.objects.filter(last_published_at__range=(since, until))
    stats = in_window.filter(term__any=terms).values_list("term")
    stats = stats.annotate(weight=Sum("weight"), stories=Count("id"))
    frequency, postings = {}, {}
    for term, weight, stories in stats.values_list("term", "weight", "stories"):
        frequency[term], postings[term] = weight, stories
    lookup = set()
    for vector in vectors:
        known = [term for term in vector if postings.get(term, MAX_POSTINGS + 1) <= MAX_POSTINGS]
        lookup.update(sorted(known, key=lambda term: (postings[term], term))[:CANDIDATE_TERMS])
    if run is not None and run.index is not None:
        index = run.index
        index.frequency.update(frequency)
    else:
        total = Story.objects.filter(last_published_at__range=(since, until)).aggregate(n=Sum("article_count"))["n"]
        index = Index(window_hours=settings.STORIES_WINDOW_HOURS, story_frequency=frequency, total=total or 0)
    if not lookup:
        return index
    known_keys = run.keys if run is not None else set()
    candidates = Story.objects.filter(id__in=in_window.filter(term__any=lookup).values("story_id")).values_list(
        "id", "centroid", "article_count", "last_published_at", "manual"
    )
    for key, centroid, size, last, manual in candidates:
        if key in known_keys:
            continue
        story = StoryState(key, centroid, size, last, fixed=manual, saved_size=size)
        index.add(story, counted=True)
        known_keys.add(key)
    return index
