"""
Cleaning what the upstreams send: the URL an article is known by, plain text, and times.

Both normalisers read every field through these, so an odd value (a tag in a
title, a tracking parameter, a date without a zone) is cleaned the same way
whichever upstream sent it.
"""

import html
import re
from datetime import UTC, datetime
from urllib.parse import parse_qsl, quote, urlencode, urlsplit, urlunsplit

from django.utils.html import strip_tags

MAX_URL_LENGTH = 2000  # ASCII, so bytes too: well inside PostgreSQL's limit for an indexed value
# What reading one odd item may raise; the item is skipped and counted, never its page.
ITEM_ERRORS = (ValueError, TypeError, OverflowError, AttributeError, UnicodeError)

_SAFE_IN_PATH = "/%:@!$&'()*+,;=~"
_UNSAFE_IN_PATH = re.compile(r"[^A-Za-z0-9._~/%:@!$&'()*+,;=-]")
_TRACKING_PARAMETER = re.compile(
    r"^(utm_.*|fbclid|gclid|dclid|msclkid|mc_cid|mc_eid|cmp|ocid|igshid|_ga|ref_src|at_.*)$", re.IGNORECASE
)


def canonical_url(raw):
    """The URL an article is known by, or None: http(s), ASCII (percent-encoded), lower-case host,
    no credentials, fragment or tracking parameters."""
    if not isinstance(raw, str):
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


def plain_text(value, *, limit=None):
    """Text without HTML tags, entities or NUL characters, white space folded; '' for None."""
    if not isinstance(value, str):
        return ""
    # Most text has neither tags nor entities, and strip_tags is the costliest step of a normaliser.
    if "<" in value:
        value = strip_tags(value)
    if "&" in value:
        value = html.unescape(value)
    text = " ".join(value.replace("\x00", "").split())
    return text[:limit] if limit else text


def parse_timestamp(value):
    """An ISO 8601 time as an aware UTC datetime, or None."""
    if not isinstance(value, str):
        return None
    try:
        moment = datetime.fromisoformat(value.strip())
        return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).astimezone(UTC)
    except (ValueError, OverflowError):
        return None
