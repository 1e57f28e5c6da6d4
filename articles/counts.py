"""
How many articles a list holds, without counting a million rows on each request.

PostgreSQL keeps each (source, publisher, category)'s count in ArticleCount (triggers,
migration 0006): a list filtered by nothing but those is the sum of a few of its rows,
exact. Any other list is counted up to EXACT_UP_TO + 1 articles: exact below that bound,
and past it the planner's estimate of its rows, said to be one (`count_is_estimate`).
SQLite (development, a few thousand articles) counts every list exactly.
"""

import json

from django.db import connection
from django.db.models import Count, Sum

from .models import Article, ArticleCount

EXACT_UP_TO = 500
# The filters that ArticleCount answers, and the field each narrows; any other filter given means counting.
KEPT_FILTERS = {"category": "category__in", "source": "source__in", "publisher": "source_name__in"}
EXCLUDING_FILTERS = {"exclude_publisher": "source_name__in"}
NOT_FILTERS = {"ordering"}


def kept_counts():
    """(source, source_name, category, count) rows, for those with articles: read from ArticleCount on PostgreSQL,
    counted from the articles elsewhere."""
    if connection.vendor == "postgresql":
        rows = ArticleCount.objects.filter(count__gt=0)
    else:
        rows = Article.objects.values("source", "source_name", "category").annotate(count=Count("id"))
    return rows.values_list("source", "source_name", "category", "count").order_by()


def article_count(queryset, filters):
    """(count, is_estimate) of `queryset`: the articles that `filters` (a filter set's cleaned data) pick."""
    given = {name: value for name, value in filters.items() if value not in (None, "", []) and name not in NOT_FILTERS}
    if connection.vendor != "postgresql":
        return queryset.count(), False
    if set(given) <= KEPT_FILTERS.keys() | EXCLUDING_FILTERS.keys():
        rows = ArticleCount.objects.filter(
            **{KEPT_FILTERS[name]: given[name] for name in given if name in KEPT_FILTERS}
        )
        rows = rows.exclude(**{EXCLUDING_FILTERS[name]: given[name] for name in given if name in EXCLUDING_FILTERS})
        return rows.aggregate(count=Sum("count"))["count"] or 0, False
    return bounded_count(queryset)


def bounded_count(queryset):
    """(count, is_estimate) of any `queryset` (of articles, of stories): exact up to EXACT_UP_TO, the planner's
    estimate past it."""
    if connection.vendor != "postgresql":
        return queryset.count(), False
    bounded = queryset.order_by()[: EXACT_UP_TO + 1].count()
    if bounded <= EXACT_UP_TO:
        return bounded, False
    return max(planned_rows(queryset), EXACT_UP_TO + 1), True


def planned_rows(queryset):
    """The planner's estimate of the rows `queryset` holds (EXPLAIN: planned, not run)."""
    sql, params = queryset.order_by().values("id").query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}", params)
        plan = cursor.fetchone()[0]
    plan = json.loads(plan) if isinstance(plan, str) else plan
    return int(plan[0]["Plan"]["Plan Rows"])
