"""Every read of feeds: which are due, which are failing, and the articles each has given."""

from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce

from articles.models import Article

from .models import Feed


def feeds_due(now):
    """The enabled feeds whose next fetch is due at `now`, the longest waiting first."""
    due = Q(next_fetch_at__isnull=True) | Q(next_fetch_at__lte=now)
    return Feed.objects.filter(due, enabled=True).order_by("next_fetch_at", "id")


def feed_list():
    """Every feed with its article count, counted in the index article_feed_newest (the feed's rows only)."""
    articles = Article.objects.filter(feed=OuterRef("pk")).order_by().values("feed").annotate(n=Count("*")).values("n")
    return Feed.objects.annotate(article_count=Coalesce(Subquery(articles), 0)).order_by("title", "id")


def stored_published_at(urls):
    """{url: published_at} of the stored articles among `urls`."""
    return dict(Article.objects.filter(url__in=urls).values_list("url", "published_at"))
