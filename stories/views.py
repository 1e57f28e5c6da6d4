"""The front page at /: today's top stories, each with its lead headline, its publishers and its related coverage.

Server-rendered, no JavaScript. A page is kept in the API's page store (articles/api/cachestore.py) under the
cache generation that an ingest changes, so that it is computed once per ingest, category and search."""

import hashlib
from contextlib import suppress

from django.conf import settings
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.views.decorators.http import require_safe

from articles.api.cachestore import CacheUnavailable, store
from articles.api.filters import SEARCH_MAX_CHARACTERS
from articles.api.pagecache import GENERATION
from articles.models import Category

from . import selectors

STORIES_SHOWN = 20
RELATED_SHOWN = 4


@require_safe
def front_page(request):
    category = request.GET.get("category", "")
    category = category if category in Category.values else ""
    q = " ".join(request.GET.get("q", "").split())[:SEARCH_MAX_CHARACTERS]
    name = f"front:v1:{hashlib.blake2b(f'{category}|{q}'.encode(), digest_size=16).hexdigest()}"
    generation, page = None, None
    with suppress(CacheUnavailable):
        generation = store().get(GENERATION)
        stored = store().get(name)
        if stored is not None and generation is not None:
            stored_generation, _, page = stored.partition(b"\n")
            page = page if stored_generation == _bytes(generation) else None
    if page is None:
        page = render_to_string("stories/front.html", _context(category, q), request=request).encode()
        if generation is not None and settings.CACHE_TTL > 0:
            with suppress(CacheUnavailable):
                store().set(name, _bytes(generation) + b"\n" + page, settings.CACHE_TTL)
    return HttpResponse(page, content_type="text/html; charset=utf-8")


def _bytes(value):
    return value if isinstance(value, bytes) else str(value).encode()


def _context(category, q):
    stories = selectors.story_list()
    if category:
        stories = stories.filter(category=category)
    if q:
        stories = selectors.story_search(stories, q)
    stories = selectors.TopFirst(stories)[:STORIES_SHOWN]
    related = selectors.related_articles(stories, per_story=RELATED_SHOWN)
    for story in stories:
        story.related = related.get(story.pk, [])
        story.more = max(story.article_count - 1 - len(story.related), 0)
    return {"stories": stories, "categories": Category.values, "category": category, "q": q}
