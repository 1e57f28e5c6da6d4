"""
The Guardian's content API: search by section, and its normaliser.

Reference: https://open-platform.theguardian.com/documentation/search
The key can only travel as the `api-key` query parameter, so every URL that is
logged or reported goes through `mask_secrets`. Sections map onto the shared
categories by SECTION_CATEGORIES; a category is fetched as one query over all of
its sections (`section=film|music|...`).

Page size (GUARDIAN_PAGE_SIZE): the documentation allows 1 to 50, the server
accepts up to 200, and we ask for 200. Requests are what the developer key
rations (500 a day, 1 a second), and a first run, which fetches a whole day of
every section, needs a quarter of them; the ingest benchmark goes from about
6,500 to 9,000 articles a second (docs/BENCHMARKS.md). Should the Guardian ever
enforce its documented maximum, its 400 answer names the setting to lower.
"""

from datetime import timedelta
from itertools import count

from django.conf import settings
from django.utils import timezone

from ..models import Category
from .base import UpstreamClient, UpstreamError, error_message
from .cleaning import canonical_url, parse_timestamp, plain_text
from .items import ArticleIn, Page, require

SOURCE = "guardian"
LABEL = "The Guardian"
ENDPOINT = "/search"
DOCUMENTED_MAX_PAGE_SIZE = 50
FIRST_RUN_LOOKBACK = timedelta(days=1)

SECTION_CATEGORIES = {
    "business": Category.BUSINESS,
    "money": Category.BUSINESS,
    "film": Category.ENTERTAINMENT,
    "music": Category.ENTERTAINMENT,
    "books": Category.ENTERTAINMENT,
    "culture": Category.ENTERTAINMENT,
    "tv-and-radio": Category.ENTERTAINMENT,
    "stage": Category.ENTERTAINMENT,
    "artanddesign": Category.ENTERTAINMENT,
    "games": Category.ENTERTAINMENT,
    "world": Category.GENERAL,
    "uk-news": Category.GENERAL,
    "us-news": Category.GENERAL,
    "australia-news": Category.GENERAL,
    "politics": Category.GENERAL,
    "society": Category.HEALTH,
    "healthcare-network": Category.HEALTH,
    "science": Category.SCIENCE,
    "environment": Category.SCIENCE,
    "sport": Category.SPORTS,
    "football": Category.SPORTS,
    "technology": Category.TECHNOLOGY,
}


def sections_of(category):
    return [section for section, mapped in SECTION_CATEGORIES.items() if mapped == category]


def make_client(*, key, key_setting, requests_allowed, before_request=None):
    return UpstreamClient(
        label=LABEL,
        base_url_setting="GUARDIAN_BASE_URL",
        key_setting=key_setting,
        requests_allowed=requests_allowed,
        before_request=before_request,
        params={"api-key": key},
        per_second=settings.GUARDIAN_REQUESTS_PER_SECOND,
    )


def fetch_pages(client, *, category, since, max_pages):
    """Yield the category's pages, newest first, down to `since` (an earlier run fetched what is older)."""
    since = since or timezone.now() - FIRST_RUN_LOOKBACK
    params = {
        "section": "|".join(sections_of(category)),
        "from-date": since.date().isoformat(),
        "order-by": "newest",
        "page-size": settings.GUARDIAN_PAGE_SIZE,
        "show-fields": "trailText,byline,thumbnail",
    }
    for number in count(1):
        if max_pages and number > max_pages:
            return
        status, payload = client.get_json(ENDPOINT, {**params, "page": number})
        body = payload.get("response") if isinstance(payload, dict) else None
        if status != 200:
            message = error_message(payload)
            if status == 400 and settings.GUARDIAN_PAGE_SIZE > DOCUMENTED_MAX_PAGE_SIZE:
                message = f"{message}; set GUARDIAN_PAGE_SIZE={DOCUMENTED_MAX_PAGE_SIZE}, its documented maximum"
            client.fail(status, message)
        if not isinstance(body, dict) or body.get("status") != "ok":
            raise UpstreamError(f"{LABEL} answered HTTP 200 without a 'response' object whose status is 'ok'.")
        items, pages = body.get("results"), body.get("pages")
        if not isinstance(items, list) or not isinstance(pages, int):
            raise UpstreamError(f"{LABEL} answered without a 'results' list and a 'pages' number.")
        total = body.get("total") if isinstance(body.get("total"), int) else None
        if total is not None and max_pages:
            total = min(total, max_pages * settings.GUARDIAN_PAGE_SIZE)
        page = Page.from_items(
            source=SOURCE, category=category, number=number, items=items, normalise=normalise, expected=total
        )
        yield page
        reached_stored = any(article.published_at < since for article in page.articles)
        if not items or number >= pages or reached_stored:
            return


def normalise(item, *, category):
    """One Guardian result as an ArticleIn; ItemSkipped when it has no URL, title or date."""
    fields = item.get("fields") if isinstance(item.get("fields"), dict) else {}
    section, story_id = item.get("sectionId"), item.get("id")
    url = canonical_url(item.get("webUrl"))
    title = plain_text(item.get("webTitle"))
    published_at = parse_timestamp(item.get("webPublicationDate"))
    require(("URL", url), ("title", title), ("date", published_at))
    return ArticleIn(
        url=url,
        source=SOURCE,
        source_name=LABEL,
        external_id=plain_text(story_id),
        title=title,
        description=plain_text(fields.get("trailText")),
        author=plain_text(fields.get("byline")),
        image_url=canonical_url(fields.get("thumbnail")) or "",
        category=SECTION_CATEGORIES.get(section, category) if isinstance(section, str) else category,
        published_at=published_at,
    )
