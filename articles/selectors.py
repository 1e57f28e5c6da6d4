"""
Every read the API makes of the articles. Views call these and nothing else.

`article_list()` is the one base queryset, with a total order (newest first,
then id) so that pages never overlap or skip. Full-text search uses
PostgreSQL's text search on the stored vector (GIN index `article_search_vector`,
migration 0007) and falls back to a plain contains-match elsewhere (SQLite).
"""

import re
from collections import defaultdict
from datetime import UTC, datetime, timedelta

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import connection
from django.db.models import Count, F, Q, Subquery, Sum, Window
from django.db.models.functions import TruncDate

from .counts import kept_counts
from .models import SOURCE_CHOICES, SOURCES, Article, Category, IngestRun, Source

# Best match first ranks only the newest this many matches: a common word matches one article in seven, and ranking
# them all would read and sort every one of them (docs/BENCHMARKS.md).
RANKED_MATCHES = 500
# Each ranked match's annotation: how many matches were ranked, so that the page's count costs no query of its own.
MATCHES_FOUND = "matches_found"


def article_list(*, fields):
    """The articles as dicts of `fields`, newest first: the API only serializes them, and model instances would
    cost more than the dicts (docs/BENCHMARKS.md)."""
    return Article.objects.values(*fields).order_by("-published_at", "-id")


def article_search(queryset, text):
    """`queryset` narrowed to articles matching `text`."""
    if connection.vendor != "postgresql":
        return queryset.filter(Q(title__icontains=text) | Q(description__icontains=text))
    return queryset.filter(search_vector=search_query(text))  # the stored vector (migration 0007), GIN-indexed


def best_matches(matches, text):
    """The newest RANKED_MATCHES of `matches` (articles that match `text`), the best matches first, titles weighing
    more than descriptions, each with MATCHES_FOUND: how many those newest are; on SQLite, `matches` as they are
    (newest first)."""
    if connection.vendor != "postgresql":
        return matches
    # One query: the newest matches found, ranked, counted and paged in the database, the vector read there only.
    newest = matches.order_by("-published_at", "-id").values("id")[:RANKED_MATCHES]
    rank = SearchRank(F("search_vector"), search_query(text))
    return (
        matches.filter(id__in=Subquery(newest))
        .annotate(rank=rank, **{MATCHES_FOUND: Window(Count("id"))})
        .order_by("-rank", "-published_at", "-id")
    )


def search_query(text):
    return SearchQuery(without_operator_runs(text), search_type="websearch", config="english")


def without_operator_runs(text):
    """`text` with each word's leading run of `-` (negation) cut to one, and a word of nothing but `-` dropped:
    PostgreSQL nests one NOT per `-`, and 33 of them overflow its parser ("tsquery stack too small")."""
    words = (re.sub(r"^-+", "-", word) for word in text.split())
    return " ".join(word for word in words if word != "-")


def source_counts():
    """Each upstream with its article count, and each of its publishers with theirs, the largest first."""
    publishers = defaultdict(int)
    for source, source_name, _, count in kept_counts():
        publishers[source, source_name] += count
    names = dict(SOURCE_CHOICES)
    sources = {value: {"source": value, "name": label, "count": 0, "publishers": []} for value, label in Source.choices}
    for (source, source_name), count in sorted(publishers.items(), key=lambda item: (item[0][0], -item[1])):
        entry = sources.setdefault(source, {"source": source, "name": names[source], "count": 0, "publishers": []})
        entry["count"] += count  # feeds are listed once they have articles
        entry["publishers"].append({"name": source_name, "count": count})
    return list(sources.values())


def category_counts():
    """Each category, with 0 for those without articles."""
    counts = dict.fromkeys(Category.values, 0)
    for _, _, category, count in kept_counts():
        counts[category] += count
    return [{"category": category, "count": count} for category, count in counts.items()]


# Ingest runs: what the ingest reads of the runs before it (the daily budget, where each category resumes).

# Stories can appear upstream a little after the time they carry: look back this far behind the last run.
SINCE_MARGIN = timedelta(hours=1)


def requests_made_today(source):
    """Requests made to `source` since midnight UTC, by every run."""
    midnight = datetime.now(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
    spent = IngestRun.objects.filter(source=source, started_at__gte=midnight).aggregate(n=Sum("requests_made"))
    return spent["n"] or 0


def runs_started_since(moment):
    """The ingest runs started at or after `moment`, in the order of their sources."""
    return list(IngestRun.objects.filter(started_at__gte=moment).order_by("id"))


def since_by_category(source):
    """When each category was last fetched to the end, less SINCE_MARGIN; a category not yet fetched is absent."""
    since = {}
    recent = IngestRun.objects.filter(source=source, dry_run=False).exclude(categories=[]).order_by("-started_at")
    for started_at, categories in recent.values_list("started_at", "categories")[:100]:
        for category in categories:
            since.setdefault(category, started_at - SINCE_MARGIN)
    return since


# The admin's dashboard.


def articles_per_day(days):
    """Articles published on each of the last `days` UTC days (today included), per source: {date: {source: n}}.
    It reads the published_at index over those days only, never the whole table."""
    today = datetime.now(UTC).date()
    first = today - timedelta(days=days - 1)
    rows = (
        Article.objects.filter(published_at__gte=datetime.combine(first, datetime.min.time(), UTC))
        .annotate(day=TruncDate("published_at", tzinfo=UTC))
        .values_list("day", "source")
        .annotate(count=Count("id"))
        .order_by()
    )
    counts = {first + timedelta(days=n): dict.fromkeys(SOURCES, 0) for n in range(days)}
    for day, source, count in rows:
        if day in counts:
            counts[day][source] = count
    return counts


def last_run_per_source():
    """Each source's latest ingest run, or None where it has none."""
    return {source: IngestRun.objects.filter(source=source).order_by("-started_at").first() for source in SOURCES}
