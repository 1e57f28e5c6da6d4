"""The admin's own pieces: an ingest run's status badge, and the dashboard on the admin's index page."""

from django import template
from django.utils.html import format_html

from ..api.cachestore import CacheUnavailable
from ..api.pagecache import cache_stats
from ..models import SOURCE_CHOICES
from ..selectors import articles_per_day, last_run_per_source, requests_made_today
from ..upstreams import UPSTREAMS

register = template.Library()

CHART_DAYS = 14


@register.filter
def status_badge(run):
    label = f"{run.status} (dry run)" if run.dry_run else run.status
    return format_html('<span class="run-status run-{}">{}</span>', run.status, label)


@register.inclusion_tag("admin/articles/dashboard.html")
def news_dashboard():
    per_day = articles_per_day(CHART_DAYS)
    peak = max(sum(counts.values()) for counts in per_day.values()) or 1
    days = [
        {
            "date": day,
            "total": sum(counts.values()),
            "bars": [{"source": source, "count": n, "percent": 100 * n / peak} for source, n in counts.items()],
        }
        for day, counts in per_day.items()
    ]
    runs = last_run_per_source()
    sources = []
    for source, label in SOURCE_CHOICES:
        budget = UPSTREAMS[source].daily_requests if source in UPSTREAMS else None  # the feeds have none
        sources.append({"label": label, "run": runs[source], "used": requests_made_today(source), "budget": budget})
    try:
        cache = cache_stats()
    except CacheUnavailable:
        cache = None
    return {
        "days": days,
        "peak": peak,
        "legend": SOURCE_CHOICES,
        "sources": sources,
        "cache": cache,
        "total": sum(day["total"] for day in days),
    }
