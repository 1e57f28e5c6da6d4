"""
The API's reads at scale (`make bench-scale`): in a scratch PostgreSQL database, synthetic articles by COPY
(profiling/scale_data.py) to each size in turn, then every read of issue 14 through the whole service in this
process (middleware, DRF, the views), the page cache off: the median of REPEATS requests after WARM_UP, and the
plan's shape of the read's slowest query (EXPLAIN ANALYZE).
"""

import logging
import statistics
import time
from dataclasses import dataclass

from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from rest_framework_api_key.models import APIKey

from articles.api.pagination import Cursor
from articles.models import Article

from . import scale_data
from .ingest_benchmark import scratch_database

SIZES = (10_000, 100_000, 1_000_000)
REPEATS, WARM_UP = 15, 2
PAGE = 20
CATEGORY = "health"  # one of the smaller ones: its last page is the furthest from the newest


@dataclass
class Read:
    name: str
    path: str
    response: object = None  # the last one, once measured


def common_words():
    """The news word in about one article in seven (the issue's "common word"), and the two after it."""
    words = sorted(scale_data.NEWS_WORDS, key=lambda word: abs(scale_data.share_of_articles(word) - 1 / 7))
    first = scale_data.NEWS_WORDS.index(words[0])
    return scale_data.NEWS_WORDS[first : first + 3]


def cursor_before_last_page(**filters):
    """A cursor (pagination.Cursor's text) whose page, newest first, is the last one of the articles `filters` pick."""
    oldest = Article.objects.filter(**filters).order_by("published_at", "id").values("published_at", "id")
    place = list(oldest[: PAGE + 1])[-1]  # at a tiny size, the oldest: an empty last page
    return Cursor.of(place, before=False).encode()


def reads(size):
    word, first, second = common_words()
    publisher = scale_data.PUBLISHERS["newsapi"][0]
    category_size = Article.objects.filter(category=CATEGORY).count()
    last_article = Article.objects.order_by("-id").values_list("id", flat=True)[size // 2]
    return [
        Read("list, first page", "/api/articles/"),
        Read("`source=newsapi`", "/api/articles/?source=newsapi"),
        Read("`source` + `category`", "/api/articles/?source=newsapi&category=technology"),
        Read("`publisher`", f"/api/articles/?publisher={publisher}"),
        Read(f"`q={word}`", f"/api/articles/?q={word}"),
        Read(f"`q={first} or {second}`", f"/api/articles/?q={first}+or+{second}"),
        Read("last page by `offset`", f"/api/articles/?offset={max(size - PAGE, 0)}"),
        Read("last page by `cursor`", f"/api/articles/?cursor={cursor_before_last_page()}"),
        Read(
            f"`category={CATEGORY}`, last page by `offset`",
            f"/api/articles/?category={CATEGORY}&offset={max(category_size - PAGE, 0)}",
        ),
        Read(
            f"`category={CATEGORY}`, last page by `cursor`",
            f"/api/articles/?category={CATEGORY}&cursor={cursor_before_last_page(category=CATEGORY)}",
        ),
        Read("`/api/sources/`", "/api/sources/"),
        Read("`/api/categories/`", "/api/categories/"),
        Read("detail", f"/api/articles/{last_article}/"),
        Read("`/api/stories/`", "/api/stories/"),
        Read(f"`/api/stories/?q={word}`", f"/api/stories/?q={word}"),
    ]


def measure(client, reads, repeats):
    """{read's name: (median ms, status, count or None, the plan's shape of its slowest query)}. The reads take
    turns, a round of each at a time: what the machine does meanwhile (the fill's pages written back, another
    process) falls on every read alike, not on whichever was timed first."""
    times = {read.name: [] for read in reads}
    for round_number in range(WARM_UP + repeats):
        for read in reads:
            started = time.perf_counter()
            response = client.get(read.path)
            if round_number >= WARM_UP:
                times[read.name].append((time.perf_counter() - started) * 1000)
            read.response = response
    results = {}
    for read in reads:
        body = read.response.json() if read.response.status_code == 200 else {}
        count = body.get("count") if isinstance(body, dict) else None
        results[read.name] = (
            statistics.median(times[read.name]),
            read.response.status_code,
            count,
            plan_of(client, read),
        )
    return results


def plan_of(client, read):
    with CaptureQueriesContext(connection) as queries:
        client.get(read.path)
    article_queries = [
        query for query in queries.captured_queries if "articles_" in query["sql"] or "stories_" in query["sql"]
    ]
    if not article_queries:
        return ""
    slowest = max(article_queries, key=lambda query: float(query["time"]))
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, FORMAT JSON) {slowest['sql']}")
        (plan,) = cursor.fetchone()[0]
    return f"{plan['Execution Time']:.1f} ms: {shape(plan['Plan'])}"


def shape(node):
    """A plan's nodes, outermost first: `Limit > Index Scan (article_newest)`; a join's inputs in brackets."""
    name = node["Node Type"]
    if "Index Name" in node:
        name += f" ({node['Index Name']})"
    if node.get("Rows Removed by Filter"):
        name += f" [{node['Rows Removed by Filter']:,} removed]"
    children = [shape(child) for child in node.get("Plans", [])]
    if len(children) == 1:
        return f"{name} > {children[0]}"
    return f"{name} > [{'; '.join(children)}]" if children else name


def table(sizes, results):
    """The results as a Markdown table: a row per read, a column per size, the plan at the largest."""
    header = ["read", *(f"{size:,}" for size in sizes), f"plan at {sizes[-1]:,}"]
    lines = ["| " + " | ".join(header) + " |", "|" + " --- |" * len(header)]
    for name, by_size in results.items():
        cells = []
        for size in sizes:
            median, status, count, _ = by_size[size]
            cell = f"{median:.1f}" if status == 200 else f"{median:.1f} ({status})"
            cells.append(cell + (f" ({count:,} hits)" if count is not None and name.startswith("`q=") else ""))
        lines.append(f"| {name} | " + " | ".join(cells) + f" | {by_size[sizes[-1]][3]} |")
    return lines


def run(report, *, sizes=SIZES, repeats=REPEATS):
    """Fill to each of `sizes` in turn, measure every read there; call report(line) with each figure."""
    sizes = sorted(sizes)
    results = {}
    settings = override_settings(CACHE_TTL=0, API_RATE_LIMIT="1000000/s", ALLOWED_HOSTS=["testserver"])
    # A line per request (and per 400, an offset past its bound) would be timed too.
    request_logs = [logging.getLogger(name) for name in ("profiling.requests", "django.request")]
    levels = [log.level for log in request_logs]
    for log in request_logs:
        log.setLevel(logging.ERROR)
    with scratch_database("_scale_bench"), settings:
        cache.clear()
        client = Client(headers={"x-api-key": APIKey.objects.create_key(name="bench-scale")[1]})
        report(f"PostgreSQL {connection.pg_version // 10000}; median of {repeats} after {WARM_UP} warm-up requests")
        filled = 0
        for size in sizes:
            started = time.perf_counter()
            scale_data.fill(filled, size - filled)
            filled = size
            report(f"filled to {size:,} articles in {time.perf_counter() - started:.1f} s")
            for name, figures in measure(client, reads(size), repeats).items():
                results.setdefault(name, {})[size] = figures
    for log, level in zip(request_logs, levels, strict=True):
        log.setLevel(level)
    for line in table(sizes, results):
        report(line)
