"""
Synthetic articles for the scale benchmark, written by COPY: news words drawn with Zipf's law (so that a common word
matches about one article in seven, as "government" would, and a rare one a few), a long tail of made-up names, three
sources with their publishers, uneven categories, and a year of publication dates. Every STORY_SIZE articles in a
row are a story, written by COPY too, its figures (lead, counts, publishers, dates) those of its articles.
"""

import itertools
import json
import random
from collections import Counter
from contextlib import suppress
from datetime import UTC, datetime, timedelta

from django.db import DatabaseError, connection, transaction

from articles.models import FEEDS, Article, Category, Source
from articles.services.bulk_writes import copy
from stories.models import Story

# The head of the vocabulary, most frequent first (stop words are left out: PostgreSQL's parser drops them).
NEWS_WORDS = """
says new government year people world election minister police court president report health market
state first country city war plan police business company deal bank price budget school climate law
energy team game season league cup win final star film music album show festival tour court trial
judge case vote party leader campaign council mayor parliament senate bill tax rate inflation jobs
workers strike union pay economy growth trade tariff oil gas power grid storm flood fire heat weather
hospital doctors patients vaccine virus study research scientists space moon mars rocket satellite
data privacy chip phone software apple google startup investors shares stocks profit sales record
children families women men home homes housing rent travel airport flights train road crash killed
injured dead attack army troops border refugees talks peace ceasefire summit treaty sanctions china
russia ukraine europe america britain france germany india japan africa london paris washington
""".split()  # noqa: SIM905 (a paragraph of words reads better than a list of 150 strings)
SYLLABLES = ["var", "ne", "lo", "quis", "tra", "mo", "del", "ka", "ri", "zan", "bel", "tor", "si", "ven", "dra", "os"]
NAMES = ["".join(parts) for parts in itertools.product(SYLLABLES, repeat=3)]  # 4,096 rare words, like real names
# A word's weight is 1 / (its rank + RANK_OFFSET): Zipf's law, flattened at the head.
RANK_OFFSET = 12
TITLE_WORDS, DESCRIPTION_WORDS = (5, 10), (12, 28)
SOURCE_SHARES = {Source.NEWSAPI: 0.45, Source.GUARDIAN: 0.35, FEEDS: 0.20}
CATEGORY_SHARES = dict(zip(Category.values, [0.18, 0.12, 0.30, 0.08, 0.07, 0.15, 0.10], strict=True))
PUBLISHERS = {
    Source.NEWSAPI: [f"{name.title()} {kind}" for name, kind in zip(NAMES[::97], itertools.cycle(["Times", "News"]))],
    Source.GUARDIAN: ["The Guardian"],
    FEEDS: [f"{name.title()} Journal" for name in NAMES[5::211]],
}
YEAR_END = datetime(2026, 12, 1, tzinfo=UTC)
YEAR = timedelta(days=365)
STORY_SIZE = 4
COLUMNS = (
    "id",
    "story_id",
    "url",
    "source",
    "source_name",
    "external_id",
    "title",
    "description",
    "author",
    "image_url",
    "category",
    "published_at",
    "first_seen_at",
    "last_updated_at",
)


def vocabulary():
    """The words, most frequent first, and their cumulative weights (for random.choices)."""
    words = NEWS_WORDS + NAMES
    weights = [1 / (rank + RANK_OFFSET) for rank in range(len(words))]
    return words, list(itertools.accumulate(weights))


def share_of_articles(word):
    """About what share of the articles hold `word` somewhere in their title or description."""
    words_per_article = (sum(TITLE_WORDS) + sum(DESCRIPTION_WORDS)) / 2
    words, cumulative = vocabulary()
    rank = words.index(word)
    chance = 1 / (rank + RANK_OFFSET) / cumulative[-1]
    return 1 - (1 - chance) ** words_per_article


def articles(first, count, seed=14, *, first_id=1, first_story=1):
    """Rows `first` to `first + count - 1`, as tuples of COLUMNS, ids from `first_id` and stories from `first_story`
    (STORY_SIZE articles each); each `n` always gives the same row but for those ids."""
    words, cumulative = vocabulary()
    rng = random.Random(f"{seed}:{first}")
    sources, source_weights = list(SOURCE_SHARES), list(SOURCE_SHARES.values())
    categories, category_weights = list(CATEGORY_SHARES), list(CATEGORY_SHARES.values())
    year_seconds = YEAR.total_seconds()
    for n in range(first, first + count):
        source = rng.choices(sources, source_weights)[0]
        publishers = PUBLISHERS[source]
        publisher = publishers[min(int(rng.paretovariate(1.2)) - 1, len(publishers) - 1)]
        title_words = rng.choices(words, cum_weights=cumulative, k=rng.randint(*TITLE_WORDS))
        description = " ".join(rng.choices(words, cum_weights=cumulative, k=rng.randint(*DESCRIPTION_WORDS)))
        published_at = YEAR_END - timedelta(seconds=int(rng.random() * year_seconds))
        yield (
            first_id + n - first,
            first_story + (n - first) // STORY_SIZE,
            f"https://{publisher.lower().replace(' ', '')}.example/{published_at:%Y/%m/%d}/{'-'.join(title_words)}-{n}",
            source,
            publisher,
            f"synthetic/{n}" if source != FEEDS else "",
            " ".join(title_words).capitalize(),
            description.capitalize() + "." if rng.random() < 0.9 else "",
            f"{rng.choice(NAMES).title()} {rng.choice(NAMES).title()}" if rng.random() < 0.7 else "",
            f"https://img.example/{n}.jpg" if rng.random() < 0.8 else "",
            rng.choices(categories, category_weights)[0],
            published_at,
            published_at + timedelta(minutes=5),
            published_at + timedelta(minutes=5),
        )


def fill(first, count, batch=50_000):
    """COPY `count` synthetic articles into the articles table, numbered from `first`, in batches of `batch`
    (one transaction each, as the ingest commits its batches), and their stories. The indexes that back no
    constraint are dropped meanwhile and built again after: built at once, they take a fraction of the time kept
    row by row would."""
    table = connection.ops.quote_name(Article._meta.db_table)
    tables = [Article._meta.db_table, Story._meta.db_table]
    with connection.cursor() as cursor:
        cursor.execute("SET maintenance_work_mem = '512MB'")
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = ANY(%s) AND NOT EXISTS "
            "(SELECT 1 FROM pg_constraint WHERE conindid = format('%%I', indexname)::regclass)",
            [tables],
        )
        indexes = cursor.fetchall()
        for name, _ in indexes:
            cursor.execute(f"DROP INDEX {connection.ops.quote_name(name)}")
    for start in range(first, first + count, batch):
        size = min(batch, first + count - start)
        with transaction.atomic(), connection.cursor() as cursor:  # the stories and their articles name each other
            first_id = reserve_ids(cursor, Article, size)
            first_story = reserve_ids(cursor, Story, -(-size // STORY_SIZE))
            rows = list(articles(start, size, first_id=first_id, first_story=first_story))
            copy(cursor, table, COLUMNS, rows)
            columns, stories = story_rows(rows)
            copy(cursor, Story._meta.db_table, columns, stories)
    with connection.cursor() as cursor:
        for _, definition in indexes:
            cursor.execute(definition)
        for name in tables:  # as autovacuum would soon: the visibility map and statistics
            cursor.execute(f"VACUUM ANALYZE {connection.ops.quote_name(name)}")
        # The fill's pages written out now, not by the checkpointer while the reads are timed. A role that may not
        # (PostgreSQL's CHECKPOINT needs a superuser or pg_checkpoint) leaves them to it.
        with suppress(DatabaseError):
            cursor.execute("CHECKPOINT")


def reserve_ids(cursor, model, count):
    """The first of `count` ids taken from `model`'s sequence, for rows written with their ids."""
    cursor.execute(
        "SELECT setval(pg_get_serial_sequence(%s, 'id'), nextval(pg_get_serial_sequence(%s, 'id')) + %s - 1)",
        [model._meta.db_table, model._meta.db_table, count],
    )
    return cursor.fetchone()[0] - count + 1


def story_rows(articles):
    """(columns, rows) of the stories of `articles` (tuples of COLUMNS), each as the grouping would keep it."""
    at = {name: COLUMNS.index(name) for name in ("id", "story_id", "title", "source_name", "category", "published_at")}
    by_story = {}
    for article in articles:
        by_story.setdefault(article[at["story_id"]], []).append(article)
    columns = ("id", "title", "lead_id", "category", "article_count", "publisher_count", "publishers")
    columns += ("publisher_articles", "first_published_at", "last_published_at", "centroid", "manual")
    rows = []
    for story_id, told in by_story.items():
        told.sort(key=lambda article: (article[at["published_at"]], article[at["id"]]))
        lead = told[0]
        publishers = Counter(article[at["source_name"]] for article in told)  # in order of first publication
        names = sorted(publishers, key=lambda name: -publishers[name])
        rows.append(
            (
                story_id,
                lead[at["title"]],
                lead[at["id"]],
                lead[at["category"]],
                len(told),
                len(publishers),
                json.dumps(names),
                json.dumps(dict(publishers)),
                lead[at["published_at"]],
                told[-1][at["published_at"]],
                "{}",
                False,
            )
        )
    return columns, rows
