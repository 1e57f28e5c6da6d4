"""
Synthetic articles for the scale benchmark, written by COPY: news words drawn with Zipf's law (so that a common word
matches about one article in seven, as "government" would, and a rare one a few), a long tail of made-up names, three
sources with their publishers, uneven categories, and a year of publication dates.
"""

import itertools
import random
from datetime import UTC, datetime, timedelta

from django.db import connection

from articles.models import FEEDS, Article, Category, Source

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
COLUMNS = (
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


def articles(first, count, seed=14):
    """Rows `first` to `first + count - 1`, as tuples of COLUMNS; each `n` always gives the same row."""
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
    (one transaction each, as the ingest commits its batches). The indexes that back no constraint are dropped
    meanwhile and built again after: built at once, they take a fraction of the time kept row by row would."""
    table = connection.ops.quote_name(Article._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute("SET maintenance_work_mem = '512MB'")
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s AND NOT EXISTS "
            "(SELECT 1 FROM pg_constraint WHERE conindid = format('%%I', indexname)::regclass)",
            [Article._meta.db_table],
        )
        indexes = cursor.fetchall()
        for name, _ in indexes:
            cursor.execute(f"DROP INDEX {connection.ops.quote_name(name)}")
    for start in range(first, first + count, batch):
        size = min(batch, first + count - start)
        with (
            connection.cursor() as cursor,
            cursor.cursor.copy(f"COPY {table} ({', '.join(COLUMNS)}) FROM STDIN") as copy,
        ):
            for row in articles(start, size):
                copy.write_row(row)
    with connection.cursor() as cursor:
        for _, definition in indexes:
            cursor.execute(definition)
        cursor.execute(f"VACUUM ANALYZE {table}")  # as autovacuum would soon: the visibility map and statistics
