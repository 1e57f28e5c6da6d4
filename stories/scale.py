"""
`bench_stories --scale`: the grouping's speed with 10 k, 100 k and 1 M articles stored (a scratch PostgreSQL database).

The stored articles are synthetic background: stories of BACKGROUND_STORY_SIZE articles, their titles a made-up
name and words of the labelled headlines themselves (so that the labelled set's terms find long postings), at
BACKGROUND_PER_DAY, ending where the labelled set ends: the window holds as many at every size, and only the
table grows. They are written by COPY with their stories and index terms, as the grouping would have left them.
Then the labelled headlines are stored with grouping off and grouped as the ingest does (`group_articles`), a
batch at a time; only that is timed.
"""

import random
import time
from datetime import timedelta

from django.test.utils import override_settings
from django.utils import timezone

from articles.models import Article
from articles.services.article_writer import upsert_articles
from articles.services.bulk_writes import copy_rows
from articles.upstreams.items import ArticleIn

from .measure import score
from .models import Story
from .services import group_articles
from .storing import stories_create, story_terms, terms_create
from .terms import terms_of

BACKGROUND_PER_DAY = 3_000
BACKGROUND_STORY_SIZE = 4
CHUNK = 20_000  # background articles written at a time
BACKGROUND_COLUMNS = (
    "url",
    "title",
    "source",
    "source_name",
    "category",
    "external_id",
    "description",
    "author",
    "image_url",
)
BACKGROUND_VALUES = ("newsapi", "Background", "business", "", "", "", "")
SYLLABLES = ("var", "ne", "lo", "quis", "tra", "mo", "del", "ka", "ri", "zan", "bel", "tor", "si", "ven", "dra")


def labelled_articles(rows):
    return [
        ArticleIn(
            url=f"https://labelled.example/{number}",
            source="newsapi",
            source_name=row.publisher,
            external_id="",
            title=row.title,
            description="",
            author="",
            image_url="",
            category="business",
            published_at=row.published_at,
        )
        for number, row in enumerate(rows)
    ]


def add_background(count, *, first, ending, vocabulary):
    """Store `count` background articles, numbered from `first`: article n is published n spacings before `ending`."""
    chance = random.Random(first)  # noqa: S311 (reproducible, not secret)
    spacing = timedelta(days=1) / BACKGROUND_PER_DAY
    now = timezone.now()
    for start in range(first, first + count, CHUNK):
        numbers = range(start, min(start + CHUNK, first + count), BACKGROUND_STORY_SIZE)
        titles = [
            " ".join(["".join(chance.choices(SYLLABLES, k=4)).capitalize(), *chance.sample(vocabulary, 5)])
            for _ in numbers
        ]
        stories = stories_create(
            [
                Story(
                    title=title,
                    category="business",
                    article_count=BACKGROUND_STORY_SIZE,
                    publisher_count=1,
                    publishers=["Background"],
                    publisher_articles={"Background": BACKGROUND_STORY_SIZE},
                    first_published_at=ending - spacing * (number + BACKGROUND_STORY_SIZE - 1),
                    last_published_at=ending - spacing * number,
                    centroid={term: weight * BACKGROUND_STORY_SIZE for term, weight in terms_of(title).items()},
                )
                for number, title in zip(numbers, titles, strict=True)
            ]
        )
        terms_create(story_terms((s.pk, s.centroid, s.last_published_at) for s in stories))
        copy_rows(
            Article,
            (*BACKGROUND_COLUMNS, "published_at", "first_seen_at", "last_updated_at", "story_id"),
            (
                (
                    f"https://background.example/{number + k}",
                    story.title,
                    *BACKGROUND_VALUES,
                    story.last_published_at - spacing * k,
                    now,
                    now,
                    story.pk,
                )
                for number, story in zip(numbers, stories, strict=True)
                for k in range(BACKGROUND_STORY_SIZE)
            ),
        )


def run(rows, *, sizes, batch, report):
    """Store the background up to each of `sizes`, then group the labelled `rows` on top; report each size's rate."""
    vocabulary = sorted({term for row in rows for term in terms_of(row.title)})
    ending = rows[-1].published_at
    stored = 0
    for size in sizes:
        add_background(size - stored, first=stored, ending=ending, vocabulary=vocabulary)
        stored = size
        with override_settings(STORIES_GROUPING=False):
            upsert_articles(labelled_articles(rows))
        labelled = list(
            Article.objects.filter(url__startswith="https://labelled.example/").order_by("published_at", "id")
        )
        started = time.perf_counter()
        for start in range(0, len(labelled), batch):
            group_articles(Article.objects.filter(id__in=[a.id for a in labelled[start : start + batch]]))
        seconds = time.perf_counter() - started
        story_of = dict(Article.objects.filter(id__in=[a.id for a in labelled]).values_list("url", "story_id"))
        scores = score([row.story for row in rows], [story_of[a.url] for a in labelled_articles(rows)])
        report(
            f"{Article.objects.count():>9,} stored articles: {len(labelled)} grouped in {seconds:.2f} s, "
            f"{len(labelled) / seconds:,.0f} articles/s (ARI {scores.ari:.3f}, precision {scores.precision:.3f})"
        )
        Article.objects.filter(url__startswith="https://labelled.example/").delete()
