"""
Subscribing to a feed: `feed_add()` takes a feed's URL, or a web page's that names one in a
`<link rel="alternate">`, fetches the feed once to check it, and stores a Feed due at once (its entries
arrive with the next fetch; no validators are kept, so that the first fetch gets the whole feed).
"""

from dataclasses import dataclass

from articles.models import Category
from articles.upstreams.cleaning import canonical_url

from ..models import Feed
from .discovery import discover, looks_like_html
from .http import FetchError, fetch, new_session
from .parsing import FORMATS, NotAFeed, ParsedFeed, parse_feed


class CannotAdd(Exception):
    """Why the feed was not added: one sentence."""


@dataclass
class Added:
    feed: Feed
    parsed: ParsedFeed
    found_on: str | None  # the page the feed was discovered on, if `url` was a page

    def sentence(self):
        found = f', found through <link rel="alternate"> on {self.found_on}' if self.found_on else ""
        entries = len(self.parsed.entries)
        return (
            f"Added feed {self.feed.pk}, “{self.feed.title}” ({FORMATS[self.parsed.format]}, "
            f"{entries} {'entry' if entries == 1 else 'entries'}), at {self.feed.url}{found}, in {self.feed.category}; "
            "its entries arrive with the next fetch_articles."
        )


def feed_add(*, url, category=Category.GENERAL, title=""):
    address = canonical_url(url)
    if not address:
        raise CannotAdd(f"Cannot add {url!r}: it is not an http or https URL.")
    if category not in Category.values:
        raise CannotAdd(f"Cannot add {url}: unknown category {category!r}; use one of {', '.join(Category.values)}.")
    session = new_session()
    try:
        address, parsed, found_on = _read(session, address)
    finally:
        session.close()
    if Feed.objects.filter(url=address).exists():
        raise CannotAdd(f"Cannot add {address}: it is already subscribed.")
    feed = Feed.objects.create(
        url=address,
        title=(title or parsed.title or address)[:200],
        site_url=parsed.site_url,
        category=category,
        format=parsed.format,
    )
    return Added(feed, parsed, found_on)


def _read(session, address):
    """(the feed's URL, its ParsedFeed, the page it was found on or None)."""
    fetched = _get(session, address)
    try:
        return fetched.url, parse_feed(fetched.body, content_type=fetched.content_type, url=fetched.url), None
    except NotAFeed as exc:
        if not looks_like_html(fetched.body, fetched.content_type):
            raise CannotAdd(f"Cannot add {address}: {exc}.") from None
    candidates = discover(fetched.body, base_url=fetched.url)
    if not candidates:
        raise CannotAdd(
            f'Cannot add {address}: it is an HTML page that names no feed (no <link rel="alternate"> '
            "of type RSS, Atom or JSON Feed)."
        )
    page, address = fetched.url, candidates[0]
    fetched = _get(session, address)
    try:
        return fetched.url, parse_feed(fetched.body, content_type=fetched.content_type, url=fetched.url), page
    except NotAFeed as exc:
        raise CannotAdd(f"Cannot add {address} (named by {page}): {exc}.") from None


def _get(session, address):
    try:
        return fetch(session, address)
    except FetchError as exc:
        raise CannotAdd(f"Cannot add {address}: {str(exc).rstrip('.')}.") from None
