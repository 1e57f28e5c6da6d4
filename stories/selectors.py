"""Every read of stories: the list (top stories first) and one story's articles, for the API and the front page."""

from datetime import timedelta

from django.conf import settings
from django.db import connection
from django.db.models import F, Prefetch, Q
from django.db.models.expressions import RawSQL
from django.utils import timezone

from articles.models import Article
from articles.selectors import article_search

from .models import Story

# "Top stories": those updated within the window first, by how many publishers tell them, then the newest.
MOST_TOLD = ("-publisher_count", "-last_published_at", "-id")  # the index story_top's order
NEWEST = ("-last_published_at", "-id")
SEARCHED_ARTICLES = 2000


def story_list():
    """Every story with its lead article, in no order: TopFirst orders them for a page, or order_by(). The leads are
    read for the page's stories once they are found (not joined to every story sorted), without their search
    vector."""
    leads = Prefetch("lead", queryset=Article.objects.defer("search_vector"))
    return Story.objects.prefetch_related(leads).defer("centroid", "publisher_articles")


class TopFirst:
    """`stories` (a queryset), top stories first, sliced as a queryset is: those updated within the window
    (STORIES_WINDOW_HOURS) by MOST_TOLD, then the others by MOST_TOLD. Each part is read in the order of an index
    (the window's from story_newest, the others from story_top), so a page never sorts every story."""

    def __init__(self, stories):
        recent = Q(last_published_at__gte=timezone.now() - timedelta(hours=settings.STORIES_WINDOW_HOURS))
        self.stories = stories
        self.recent = stories.filter(recent).order_by(*MOST_TOLD)
        self.older = stories.exclude(recent).order_by(*MOST_TOLD)

    def __getitem__(self, page):
        start, stop = page.start or 0, page.stop
        rows = list(self.recent[start:stop])
        if len(rows) == stop - start:
            return rows
        # Past the window's stories: how many they are is known from this page, or counted (a deep page only).
        recent_count = start + len(rows) if rows or not start else self.recent.count()
        skipped = max(start - recent_count, 0)
        return rows + list(self.older[skipped : skipped + stop - start - len(rows)])


def story_search(queryset, text):
    """`queryset` narrowed to the stories of the newest SEARCHED_ARTICLES articles matching `text` (the articles'
    full-text search): a word in one article of seven would otherwise read the story of every one of them. Those
    articles are found once, here: the page and its count then read their stories by id, as one array."""
    newest = article_search(Article.objects.all(), text).order_by("-published_at", "-id")
    story_ids = sorted({story for story in newest.values_list("story_id", flat=True)[:SEARCHED_ARTICLES] if story})
    if connection.vendor != "postgresql":
        return queryset.filter(id__in=story_ids)
    return queryset.filter(id__in=RawSQL("SELECT unnest(%s::bigint[])", [story_ids]))


def story_leads(articles):
    """`articles` (a queryset) narrowed to their stories' leads, each with `related_count`: how many other articles
    its story holds. A join on the story's primary key per article: no scan beyond the page's own."""
    return articles.filter(story__lead=F("id")).annotate(related_count=F("story__article_count") - 1)


def story_articles(story, *, fields):
    """A story's articles as dicts of `fields`, newest first."""
    return list(Article.objects.filter(story=story).values(*fields).order_by("-published_at", "-id"))


def related_articles(stories, *, per_story):
    """{story id: up to `per_story` of its articles other than its lead, newest first}, in one query."""
    related = {}
    articles = (
        Article.objects.filter(story__in=stories)
        .exclude(id__in=[story.lead_id for story in stories if story.lead_id])
        .only("id", "story_id", "title", "url", "source_name", "published_at")
        .order_by("story_id", "-published_at", "-id")
    )
    for article in articles:
        shown = related.setdefault(article.story_id, [])
        if len(shown) < per_story:
            shown.append(article)
    return related
