"""
NewsAPI: top headlines by category, and their normaliser.

Reference: https://newsapi.org/docs/endpoints/top-headlines
The key travels in the X-Api-Key header, never in the URL. On the free developer
plan a page that reaches past result 100 answers 426 `maximumResultsReached`:
that is the end of what the plan returns, not a failure. NEWSAPI_MAX_RESULTS
(100) stops before asking for that page, which would spend a request on nothing.
"""

from itertools import count

from django.conf import settings

from .base import UpstreamClient, UpstreamError, error_message
from .cleaning import canonical_url, parse_timestamp, plain_text
from .items import ArticleIn, ItemSkipped, Page, require

SOURCE = "newsapi"
LABEL = "NewsAPI"
ENDPOINT = "/v2/top-headlines"
PAGE_SIZE = 100  # the most NewsAPI returns in one page
REMOVED = "[Removed]"


def make_client(*, key, key_setting, requests_allowed, before_request=None):
    return UpstreamClient(
        label=LABEL,
        base_url_setting="NEWSAPI_BASE_URL",
        key_setting=key_setting,
        requests_allowed=requests_allowed,
        before_request=before_request,
        headers={"X-Api-Key": key},
    )


def fetch_pages(client, *, category, since, max_pages):
    """Yield the category's pages, newest first. `since` is unused: top headlines have no date filter."""
    for number in count(1):
        if max_pages and number > max_pages:
            return
        params = {"category": category, "pageSize": PAGE_SIZE, "page": number}
        status, payload = client.get_json(ENDPOINT, params)
        payload = payload if isinstance(payload, dict) else {}
        if status == 426 and payload.get("code") == "maximumResultsReached":
            return
        if status != 200 or payload.get("status") != "ok":
            client.fail(status, error_message(payload))
        items, total = payload.get("articles"), payload.get("totalResults")
        if not isinstance(items, list) or not isinstance(total, int):
            raise UpstreamError(f"{LABEL} answered without an 'articles' list and a 'totalResults' number.")
        cap = settings.NEWSAPI_MAX_RESULTS
        expected = min([total, *([cap] if cap else []), *([max_pages * PAGE_SIZE] if max_pages else [])])
        yield Page.from_items(
            source=SOURCE, category=category, number=number, items=items, normalise=normalise, expected=expected
        )
        if not items or number * PAGE_SIZE >= total or (cap and number * PAGE_SIZE >= cap):
            return


def normalise(item, *, category):
    """One NewsAPI article as an ArticleIn; ItemSkipped when removed, or without a URL, title or date."""
    publisher = item.get("source") if isinstance(item.get("source"), dict) else {}
    source_name = plain_text(publisher.get("name"))
    title = plain_text(item.get("title"))
    if REMOVED in (title, source_name):
        raise ItemSkipped("removed by NewsAPI")
    # NewsAPI appends " - Publisher" to most titles; the publisher has a field of its own.
    if source_name and title.endswith(f" - {source_name}"):
        title = title.removesuffix(f" - {source_name}")
    url = canonical_url(item.get("url"))
    published_at = parse_timestamp(item.get("publishedAt"))
    require(("URL", url), ("title", title), ("date", published_at))
    return ArticleIn(
        url=url,
        source=SOURCE,
        source_name=source_name,
        external_id="",
        title=title,
        description=plain_text(item.get("description")),
        author=plain_text(item.get("author")),
        image_url=canonical_url(item.get("urlToImage")) or "",
        category=category,
        published_at=published_at,
    )
