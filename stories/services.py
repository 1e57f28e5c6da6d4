"""
Storing the grouping (grouping.py, decided by planning.py) in the database: the only writer of Story, StoryTerm and
Article.story.

`group_articles(articles)` puts each given article that has no story yet into one, in time order, as one batch
(`stories_plan`), and writes back only the stories it changed. The ingest calls the two halves itself:
`stories_plan` for articles about to be written (their ids reserved), then `stories_save` once they are written
with their stories, so that each article is written once. Its cost follows the batch and the window, not the
table. Callers hold the ingest lock (the ingest, `cluster_stories`), so two groupings never race on a story.
"""

from collections import Counter, defaultdict
from contextlib import contextmanager
from dataclasses import dataclass

from django.db import connection, transaction
from tqdm import tqdm

from articles.locks import INGEST_LOCK_ID, advisory_lock
from articles.models import Article
from articles.services.bulk_writes import rows_update
from articles.signals import send_articles_changed_on_commit

from .grouping import CENTROID_TERMS
from .models import Story
from .planning import ARTICLE_FIELDS, stories_plan, write_terms_unless_in_run
from .storing import stories_create
from .terms import terms_of


@transaction.atomic
def group_articles(articles):
    """Put each article of the queryset `articles` that has no story into one; return how many were grouped."""
    rows = list(articles.filter(story__isnull=True).order_by("published_at", "id").values(*ARTICLE_FIELDS))
    if not rows:
        return 0
    plan = stories_plan(rows)
    _set_story(plan.story_of)
    stories_save(plan)
    return len(rows)


def stories_save(plan):
    """Write what a batch changed, once its articles carry their stories (`plan.story_of`): its new stories in bulk,
    and the stored stories it added to, their figures counted on from what they held (all from the plan's rows, no
    article read again). A stored story merged into another is recounted from its articles."""
    members = defaultdict(list)  # story id: its rows of the batch, in time order (as plan.rows are)
    for key, row in plan.rows.items():
        members[plan.story_of[key]].append(row)
    stories_create([_add(Story(pk=s.key, centroid=s.centroid, terms_stale=True), members[s.key]) for s in plan.new])
    merged = set()
    for kept, gone in plan.merged:  # a stored story merged into another: its articles move
        Article.objects.filter(story_id=gone).update(story_id=kept)
        merged |= {kept, gone}
    stored = {key: story for key, story in plan.stored_rows.items() if key not in merged}
    for story in plan.stored:
        if story.key in stored:
            _add(stored[story.key], members[story.key]).centroid = story.centroid
            stored[story.key].terms_stale = True
    rows_update(Story, stored.values(), [*STORY_FIGURES, "centroid", "terms_stale"])
    refresh_stories(merged, centroids={story.key: story.centroid for story in [*plan.new, *plan.stored]})
    write_terms_unless_in_run()


def _set_story(story_of):
    """Article.story for each article id of `story_of`, in one statement."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {Article._meta.db_table} AS article SET story_id = given.story "  # noqa: S608 (the model's)
                f"FROM unnest(%s::bigint[], %s::bigint[]) AS given(id, story) WHERE article.id = given.id",
                [list(story_of), list(story_of.values())],
            )
    else:
        Article.objects.bulk_update([Article(id=key, story_id=story) for key, story in story_of.items()], ["story"])


def _add(story, rows):
    """`story` with the articles `rows` (in time order) added to its figures."""
    publishers = Counter(story.publisher_articles)
    publishers.update(row["source_name"] for row in rows if row["source_name"])
    story.publisher_articles, story.publisher_count = dict(publishers), len(publishers)
    story.publishers = [name for name, _ in publishers.most_common()]
    story.article_count += len(rows)
    lead = rows[0]
    if story.first_published_at is None or lead["published_at"] < story.first_published_at:
        story.title, story.lead_id, story.category = lead["title"], lead["id"], lead["category"]
        story.first_published_at = lead["published_at"]
    if story.last_published_at is None or rows[-1]["published_at"] > story.last_published_at:
        story.last_published_at = rows[-1]["published_at"]
    return story


def refresh_stories(story_ids, *, centroids=None):
    """Recount these stories' figures from their articles, and their index terms; delete those left empty."""
    if not story_ids:
        return
    centroids = centroids or {}
    members = defaultdict(list)
    for row in (
        Article.objects.filter(story_id__in=story_ids)
        .order_by("published_at", "id")
        .values(*ARTICLE_FIELDS, "story_id")
    ):
        members[row["story_id"]].append(row)
    Story.objects.filter(pk__in=set(story_ids) - members.keys()).delete()
    stories = Story.objects.in_bulk(list(members))
    for key, rows in members.items():
        story = stories[key]
        story.article_count, story.publisher_articles = 0, {}
        story.first_published_at = story.last_published_at = None
        _add(story, rows).centroid = centroids.get(key) or story.centroid or _centroid(rows)
        story.terms_stale = True
    rows_update(Story, stories.values(), [*STORY_FIGURES, "centroid", "terms_stale"])
    write_terms_unless_in_run()


def stories_recount(*, story_ids):
    """Recount stories that lost articles (deleted in the admin or elsewhere), their centroids from what is left."""
    Story.objects.filter(pk__in=story_ids, manual=False).update(centroid={})
    refresh_stories(story_ids)


STORY_FIGURES = (
    "title",
    "lead",
    "category",
    "article_count",
    "publisher_count",
    "publishers",
    "publisher_articles",
    "first_published_at",
    "last_published_at",
)


def _centroid(rows):
    summed = Counter()
    for row in rows:
        summed.update(terms_of(row["title"], row["description"]))
    return dict(summed.most_common(CENTROID_TERMS))


REBUILD_BATCH = 500


@dataclass
class RebuildSummary:
    articles: int = 0
    stories: int = 0
    shared: int = 0
    largest: int = 0
    kept: int = 0


def rebuild_stories(*, since=None, progress=False, stderr=None):
    """Regroup the stored articles (those published `since`, if given) in time order, as the ingest would, in one
    transaction: the API reads the old stories until the new ones are committed. The articles of stories an
    operator made or merged (`manual`) stay where they are, and no other joins them."""
    with transaction.atomic():
        articles = Article.objects.exclude(story__manual=True)
        if since is not None:
            articles = articles.filter(published_at__gte=since)
        old = list(Story.objects.filter(manual=False, articles__in=articles).values_list("id", flat=True).distinct())
        Story.objects.filter(pk__in=old).update(centroid={})
        articles.update(story=None)
        refresh_stories(old)  # those left empty go; those across `since` are recounted, their terms too
        ids = list(Article.objects.filter(story=None).order_by("published_at", "id").values_list("id", flat=True))
        bar = tqdm(total=len(ids), unit="article", disable=not progress, file=stderr)
        for start in range(0, len(ids), REBUILD_BATCH):
            chunk = ids[start : start + REBUILD_BATCH]
            group_articles(Article.objects.filter(id__in=chunk))
            bar.update(len(chunk))
        bar.close()
        send_articles_changed_on_commit()
        grouped = Story.objects.filter(articles__in=ids).distinct()
        sizes = list(grouped.values_list("article_count", flat=True))
    return RebuildSummary(
        articles=len(ids),
        stories=len(sizes),
        shared=sum(size > 1 for size in sizes),
        largest=max(sizes, default=0),
        kept=Story.objects.filter(manual=True).count(),
    )


class GroupingBusy(Exception):
    """An ingest or a rebuild holds the ingest lock."""


@contextmanager
def _grouping_lock():
    with advisory_lock(INGEST_LOCK_ID, wait=False) as acquired:
        if not acquired:
            raise GroupingBusy("An ingest or a rebuild is running: try again when it has finished.")
        with transaction.atomic():
            yield
            send_articles_changed_on_commit()


def stories_merge(*, stories):
    """An operator's decision: the stories' articles in one story (the largest), kept so by ingests and rebuilds."""
    stories = sorted(stories, key=lambda story: (-story.article_count, story.pk))
    with _grouping_lock():
        kept, others = stories[0], [story.pk for story in stories[1:]]
        Article.objects.filter(story_id__in=others).update(story_id=kept.pk)
        Story.objects.filter(pk=kept.pk).update(manual=True, centroid={})
        refresh_stories([kept.pk, *others])
    return kept


def articles_move_out(*, articles):
    """An operator's decision: each article alone in a new story of its own, kept so by ingests and rebuilds."""
    with _grouping_lock():
        old = {article.story_id for article in articles}
        for article in articles:
            own = Story.objects.create(manual=True)
            Article.objects.filter(pk=article.pk).update(story=own)
            old.add(own.pk)
        Story.objects.filter(pk__in=old - {None}, manual=False).update(centroid={})
        refresh_stories(old - {None})
