"""
Cleaning what the upstreams send: the URL an article is known by, plain text, and times.

Both normalisers read every field through these, so an odd value (a tag in a
title, a tracking parameter, a date without a zone, half an emoji) is cleaned the same way
whichever upstream sent it. TEXT_LIMITS bounds every stored text field (Page.from_items
applies it to every article), so that no upstream content is too large for the database.
"""

import html
import re
from datetime import UTC, datetime
from urllib.parse import parse_qsl, quote, urlencode, urlsplit, urlunsplit

from django.utils.html import strip_tags

# Characters, at most 4 bytes each: title and description stay far inside the 1 MB that PostgreSQL's full-text
# index takes; the others are their model fields' max_length (a test checks that they match).
TEXT_LIMITS = {"title": 1000, "description": 10_000, "author": 300, "source_name": 200, "external_id": 500}
ELLIPSIS = "\N{HORIZONTAL ELLIPSIS}"
MAX_URL_LENGTH = 2000  # ASCII, so bytes too: well inside PostgreSQL's limit for an indexed value
# What reading one odd item may raise; the item is skipped and counted, never its page.
ITEM_ERRORS = (ValueError, TypeError, OverflowError, AttributeError, UnicodeError)

# A lone surrogate (half an emoji's UTF-16 pair, "\ud800" in JSON) is valid JSON but no UTF-8 can carry it.
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")
_SAFE_IN_PATH = "/%:@!$&'()*+,;=~"
_UNSAFE_IN_PATH = re.compile(r"[^A-Za-z0-9._~/%:@!$&'()*+,;=-]")
_TRACKING_PARAMETER = re.compile(
    r"^(utm_.*|fbclid|gclid|dclid|msclkid|mc_cid|mc_eid|cmp|ocid|igshid|_ga|ref_src|at_.*)$", re.IGNORECASE
)


def canonical_url(raw):
    """The URL an article is known by, or None: http(s), ASCII (percent-encoded), lower-case host,
    no credentials, fragment or tracking parameters."""
    if not isinstance(raw, str) or (not raw.isascii() and _LONE_SURROGATE.search(raw)):
        return None
    try:
        parts = urlsplit(raw.replace("\x00", "").strip())
        host, port = parts.hostname, parts.port
        if host and not host.isascii():  # the costly steps only where needed: most URLs are plain ASCII
            host = host.encode("idna").decode("ascii")
    except ITEM_ERRORS:
        return None
    if parts.scheme.lower() not in {"http", "https"} or not host:
        return None
    netloc = f"[{host}]" if ":" in host else host
    netloc += f":{port}" if port is not None else ""
    path = parts.path or "/"
    if _UNSAFE_IN_PATH.search(path):
        path = quote(path, safe=_SAFE_IN_PATH)
    query = parts.query
    if query:
        pairs = parse_qsl(query, keep_blank_values=True)
        query = urlencode([(k, v) for k, v in pairs if not _TRACKING_PARAMETER.match(k)])
    url = urlunsplit((parts.scheme.lower(), netloc, path, query, ""))
    return url if len(url) <= MAX_URL_LENGTH else None


def plain_text(value):
    """Text without HTML tags, entities, NUL characters or lone surrogates (each becomes U+FFFD), white space
    folded; '' for None. (Its length is bounded once, for every upstream, by base.bounded().)"""
    if not isinstance(value, str):
        return ""
    # Most text has neither tags nor entities, and strip_tags is the costliest step of a normaliser.
    if "<" in value:
        value = strip_tags(value)
    if "&" in value:
        value = html.unescape(value)
    if not value.isascii():
        value = _LONE_SURROGATE.sub("\N{REPLACEMENT CHARACTER}", value)
    text = " ".join(value.replace("\x00", "").split())
    return text


def shortened(text, limit):
    """`text` if it has at most `limit` characters; else cut on the last word boundary before the limit
    (within a word only if that boundary would drop more than half) and ended with an ellipsis."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    boundary = cut.rfind(" ")
    if boundary > limit // 2:
        cut = cut[:boundary]
    return cut.rstrip() + ELLIPSIS


def parse_timestamp(value):
    """An ISO 8601 time as an aware UTC datetime, or None."""
    if not isinstance(value, str):
        return None
    try:
        moment = datetime.fromisoformat(value.strip())
        return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).astimezone(UTC)
    except (ValueError, OverflowError):
        return None
