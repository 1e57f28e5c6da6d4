"""Every read of stories: the list (top stories first) and one story's articles, for the API and the front page."""

from datetime import timedelta

from django.conf import settings
from django.db.models import BooleanField, Case, F, Q, Value, When
from django.utils import timezone

from articles.models import Article
from articles.selectors import article_search

from .models import Story

# "Top stories": those updated within the window first, by how many publishers tell them, then the newest.
TOP = ("-recent", "-publisher_count", "-last_published_at", "-id")
NEWEST = ("-last_published_at", "-id")
SEARCHED_ARTICLES = 2000


def story_list():
    """Every story with its lead article, top stories first."""
    recent = Q(last_published_at__gte=timezone.now() - timedelta(hours=settings.STORIES_WINDOW_HOURS))
    return (
        Story.objects.select_related("lead")
        .annotate(recent=Case(When(recent, then=Value(True)), default=Value(False), output_field=BooleanField()))
        .order_by(*TOP)
    )


def story_search(queryset, text):
    """`queryset` narrowed to the stories of the newest SEARCHED_ARTICLES articles matching `text` (the articles'
    full-text search): a word in one article of seven would otherwise read the story of every one of them."""
    newest = article_search(Article.objects.all(), text).order_by("-published_at", "-id")
    return queryset.filter(id__in=newest.values("story_id")[:SEARCHED_ARTICLES])


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
