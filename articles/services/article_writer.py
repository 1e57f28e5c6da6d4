"""
The writer of articles: an upsert keyed on the canonical URL.

A second run over the same data creates nothing, and the same story from both
upstreams is one row: that of the upstream of higher precedence (the registry's). PostgreSQL
gets the rows by COPY, other databases (SQLite) through the ORM; both write the same.
A batch the database refuses can be written again article by article (`upsert_one_by_one`), so that
only the articles it refuses are lost.
"""

from dataclasses import dataclass, fields, replace

from django.conf import settings
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from stories.planning import stories_plan
from stories.services import group_articles, stories_save

from ..models import Article
from ..upstreams import precedence
from ..upstreams.items import ArticleIn
from .bulk_writes import copy, next_id, next_ids
from .stopping import raise_if_stopping

ARTICLE_FIELDS = [f.name for f in fields(ArticleIn)]
UPDATED_FIELDS = [name for name in ARTICLE_FIELDS if name != "url"]
# What storing an article's content may raise: the database refusing it, or text that no encoding carries.
STORE_ERRORS = (DatabaseError, ValueError)


@dataclass
class UpsertCounts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


def upsert_articles(articles, *, dry_run=False, staged=None):
    """Insert new articles and update changed ones; count each kind exactly.

    A stored story is updated from the upstream it came from, keeping the category it was first filed
    under (NewsAPI lists a story under several) and the feed that carried it first (with its publisher's
    name: two feeds may carry one entry), or taken over by an upstream of higher precedence;
    otherwise it is unchanged. In a dry run nothing is written, and `staged`, if given, remembers across
    calls what would have been, so that the counts match a real run.
    """
    by_url = {article.url: article for article in articles}
    counts = UpsertCounts(unchanged=len(articles) - len(by_url))
    with transaction.atomic():
        stored = {
            row[0]: ArticleIn(*row) for row in Article.objects.filter(url__in=by_url).values_list(*ARTICLE_FIELDS)
        }
        if staged:
            stored.update((url, staged[url]) for url in by_url if url in staged)
        to_write = []
        for url, incoming in by_url.items():
            current = stored.get(url)
            if current is None:
                counts.created += 1
            elif incoming.source == current.source:
                if incoming.category != current.category:
                    incoming = replace(incoming, category=current.category)
                if current.feed_id and incoming.feed_id != current.feed_id:  # another feed's copy of it
                    incoming = replace(incoming, feed_id=current.feed_id, source_name=current.source_name)
                if incoming == current:
                    counts.unchanged += 1
                    continue
                counts.updated += 1
            elif precedence(incoming.source) > precedence(current.source):
                counts.updated += 1
            else:
                counts.unchanged += 1
                continue
            to_write.append(incoming)
        if dry_run:
            if staged is not None:
                staged.update((article.url, article) for article in to_write)
        elif to_write:
            # Grouped before the commit: no article is ever seen without its story.
            if settings.STORIES_GROUPING and connection.vendor == "postgresql":
                _write_grouped(to_write, new={url for url in by_url if url not in stored}, now=timezone.now())
            else:
                write = _write_with_copy if connection.vendor == "postgresql" else _write_with_orm
                write(to_write, now=timezone.now())
                if settings.STORIES_GROUPING:
                    group_articles(Article.objects.filter(url__in=[article.url for article in to_write]))
    return counts


def upsert_one_by_one(articles, *, dry_run=False, staged=None):
    """upsert_articles for each article on its own, in a transaction (or savepoint) of its own; return the counts
    of those stored and a list of (article, error) of those refused. Raises DatabaseError when it is the
    database that fails, not an article (each refusal is followed by a query that must succeed)."""
    by_url = {article.url: article for article in articles}
    counts, refused = UpsertCounts(unchanged=len(articles) - len(by_url)), []
    for article in by_url.values():
        try:
            stored = upsert_articles([article], dry_run=dry_run, staged=staged)
        except STORE_ERRORS as exc:
            raise_if_stopping(exc)
            refused.append((article, exc))
            with connection.cursor() as cursor:
                cursor.execute("SELECT 1")
            continue
        for name in ("created", "updated", "unchanged"):
            setattr(counts, name, getattr(counts, name) + getattr(stored, name))
    return counts, refused


def commit_without_waiting_for_the_disk():
    """PostgreSQL's asynchronous commit for this transaction: it does not wait for its WAL to reach the disk.

    Safe here: a crash can lose only the last batches of a run still going, which has not recorded their
    categories as fetched to the end, so the next run fetches them again; and the run's last commit (its
    IngestRun row, synchronous) flushes every batch before it to the disk.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL synchronous_commit TO OFF")


def _write_with_orm(articles, *, now):
    Article.objects.bulk_create(
        [Article(**_columns(article), first_seen_at=now, last_updated_at=now) for article in articles],
        update_conflicts=True,
        unique_fields=["url"],
        update_fields=[*UPDATED_FIELDS, "last_updated_at"],
    )


def _write_grouped(articles, *, new, now):
    """_write_with_copy with the new articles (those of the URLs `new`) grouped first, their ids reserved, so that
    each is written once, with its story (docs/BENCHMARKS.md: a second UPDATE of every article cost more)."""
    fresh = [article for article in articles if article.url in new]
    ids = dict(zip((article.url for article in fresh), next_ids(Article, len(fresh)), strict=True))
    plan = stories_plan([{"id": ids[article.url], **_columns(article)} for article in fresh]) if fresh else None
    _write_with_copy(articles, now=now, ids=ids, story_of=plan.story_of if plan else {})
    if plan:
        stories_save(plan)
    updated = [article.url for article in articles if article.url not in new]
    if updated:  # stored before without a story (with grouping off)
        group_articles(Article.objects.filter(url__in=updated))


def _write_with_copy(articles, *, now, ids=None, story_of=None):
    """The same upsert as _write_with_orm, at COPY speed: about three times the rows a second (docs/BENCHMARKS.md).
    `ids` (URL: id) and `story_of` (id: story id) give new articles their ids and stories."""
    table = Article._meta.db_table
    columns = [*ARTICLE_FIELDS, "first_seen_at", "last_updated_at"]
    if ids is not None:
        columns += ["id", "story_id"]
    column_list = ", ".join(columns)
    updates = ", ".join(f"{name} = EXCLUDED.{name}" for name in [*UPDATED_FIELDS, "last_updated_at"])
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TEMPORARY TABLE incoming_article AS "  # noqa: S608 (names from the model)
            f"SELECT {column_list} FROM {table} WITH NO DATA"
        )
        copy(cursor, "incoming_article", columns, _rows(articles, now, ids, story_of))
        # A stored article keeps its id: the one drawn for its row goes unused, as a default's would.
        selected = ", ".join(f"COALESCE(id, {next_id(Article)})" if name == "id" else name for name in columns)
        cursor.execute(
            f"INSERT INTO {table} ({column_list}) SELECT {selected} FROM incoming_article "  # noqa: S608
            f"ON CONFLICT (url) DO UPDATE SET {updates}"
        )
        cursor.execute("DROP TABLE incoming_article")


def _rows(articles, now, ids, story_of):
    for article in articles:
        row = [*_columns(article).values(), now, now]
        if ids is not None:
            key = ids.get(article.url)
            row += [key, story_of.get(key)]
        yield row


def _columns(article):
    return {name: getattr(article, name) for name in ARTICLE_FIELDS}


def database_answers():
    """After a failed write: whether the database answers, reconnecting if the failure cost the connection."""
    if connection.connection is not None and not connection.is_usable():
        connection.close()
    try:
        connection.ensure_connection()
    except DatabaseError:
        return False
    return True
