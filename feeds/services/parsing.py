"""
A fetched feed's body read into entries: RSS 0.9x/1.0/2.0 and Atom 0.3/1.0 by feedparser, JSON Feed by
jsonfeed.py. Text is reduced to plain text with the same cleaning as the other upstreams
(articles/upstreams/cleaning.py), links to canonical URLs, dates to UTC.

feedparser is given the bytes (never a URL: it would fetch it itself). It is safe against entity expansion
(billion laughs): before parsing it drops every entity declaration that names another entity, and expat
refuses the rest past its amplification limit; the tests parse such a document.
"""

import io
import json
from dataclasses import dataclass, field
from datetime import UTC, datetime

import feedparser

from articles.upstreams.cleaning import ITEM_ERRORS, canonical_url, plain_text

from . import jsonfeed

FORMATS = {"rss": "RSS", "atom": "Atom", "json": "JSON Feed"}


class NotAFeed(Exception):
    """The body is no feed that can be read; the message is one sentence."""


@dataclass(frozen=True)
class EntryIn:
    url: str
    external_id: str
    title: str
    description: str
    author: str
    image_url: str
    published_at: datetime | None  # None: the entry has no date (or one that cannot be read)


@dataclass
class ParsedFeed:
    format: str  # a key of FORMATS
    title: str
    site_url: str
    entries: list[EntryIn] = field(default_factory=list)
    skipped: int = 0  # entries without a usable link or title
    malformed: str = ""  # why the XML is not well-formed, when feedparser read what it could anyway


def parse_feed(body, *, content_type="", url=""):
    """The feed in `body` (bytes); raises NotAFeed saying why not."""
    start = body[:512].lstrip()
    if "json" in content_type.lower() or start.startswith(b"{"):
        return _parse_json(body)
    parsed = feedparser.parse(
        io.BytesIO(body),
        response_headers={"content-type": content_type or "application/xml", "content-location": url},
        sanitize_html=False,  # reduced to plain text below: neither sanitising nor resolving links in it
        resolve_relative_uris=False,
    )
    version = parsed.get("version", "")
    if not version:
        lowered = start[:200].lower()
        if lowered.startswith((b"<!doctype html", b"<html")) or "html" in content_type.lower():
            raise NotAFeed("an HTML page, not a feed")
        reason = parsed.get("bozo_exception")
        raise NotAFeed(f"not RSS, Atom or JSON Feed{f' ({reason})' if reason else ''}")
    feed = parsed.get("feed", {})
    result = ParsedFeed(
        format="atom" if version.startswith("atom") else "rss",
        title=plain_text(feed.get("title")),
        site_url=canonical_url(feed.get("link")) or "",
        malformed=str(parsed.get("bozo_exception", "")) if parsed.get("bozo") else "",
    )
    for entry in parsed.get("entries", []):
        _add(result, _feedparser_entry, entry)
    return result


def _parse_json(body):
    try:
        title, site_url, items = jsonfeed.parse(json.loads(body))
    except ValueError as exc:  # UnicodeDecodeError and JSONDecodeError included
        raise NotAFeed(f"not a JSON Feed ({exc})") from None
    result = ParsedFeed(format="json", title=plain_text(title), site_url=canonical_url(site_url) or "")
    for item in items:
        _add(result, _json_entry, item)
    return result


def _add(result, read, raw):
    try:
        entry = read(raw)
    except ITEM_ERRORS:
        entry = None
    if entry is None:
        result.skipped += 1
    else:
        result.entries.append(entry)


def _feedparser_entry(entry):
    description = plain_text(entry.get("summary")) or plain_text(_first_content(entry))
    return _entry(
        link=entry.get("link"),
        external_id=entry.get("id") or "",
        title=entry.get("title"),
        description=description,
        author=entry.get("author"),
        image_url=_image(entry),
        published_at=_utc(entry.get("published_parsed") or entry.get("updated_parsed")),
    )


def _json_entry(item):
    return _entry(
        link=item.get("link"),
        external_id=item.get("id", ""),
        title=item.get("title"),
        description=plain_text(item.get("summary")),
        author=item.get("author"),
        image_url=canonical_url(item.get("image")) or "",
        published_at=item.get("published"),
    )


def _entry(*, link, external_id, title, description, author, image_url, published_at):
    url = canonical_url(link)
    title = plain_text(title) or description  # an RSS item may have a description only
    if not url or not title:
        return None
    return EntryIn(
        url=url,
        external_id=external_id if isinstance(external_id, str) else "",
        title=title,
        description=description,
        author=plain_text(author),
        image_url=image_url,
        published_at=published_at,
    )


def _first_content(entry):
    content = entry.get("content") or [{}]
    return content[0].get("value")


def _image(entry):
    """The entry's picture: a Media RSS thumbnail or image, else an image enclosure."""
    candidates = [m.get("url") for m in entry.get("media_thumbnail", [])]
    candidates += [m.get("url") for m in entry.get("media_content", []) if m.get("medium", "image") == "image"]
    candidates += [
        link.get("href") for link in entry.get("links", []) if str(link.get("type", "")).startswith("image/")
    ]
    return next((url for url in map(canonical_url, candidates) if url), "")


def _utc(moment):
    """feedparser's parsed dates are struct_time in UTC."""
    if not moment:
        return None
    return datetime(*moment[:6], tzinfo=UTC)
