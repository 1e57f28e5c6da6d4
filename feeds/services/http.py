"""
The feed crawler's one HTTP path out: a conditional GET with manners.

`fetch()` sends If-None-Match / If-Modified-Since from the feed's stored validators, an identifying
User-Agent (FEEDS_USER_AGENT), follows at most MAX_REDIRECTS redirects itself (each hop checked as the first),
and reads at most FEEDS_MAX_BYTES within the feed's time bound. A URL that is not http(s), or whose host is a
loopback, private, link-local or otherwise non-public address, is refused unless FEEDS_ALLOW_PRIVATE is set.
Every failure is a FetchError whose message is one sentence, with the HTTP status and Retry-After when the
server gave them.
"""

import ipaddress
import socket
import time
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

import requests
import urllib3
from django.conf import settings

from articles.upstreams.base import AnswerTooLarge, AnswerTooSlow, read_body, retry_after_seconds

MAX_REDIRECTS = 5
PERMANENT = frozenset({301, 308})
ACCEPT = (
    "application/rss+xml, application/atom+xml, application/feed+json, application/json;q=0.9, "
    "application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5"
)


class FetchError(Exception):
    """A feed could not be fetched; `status` is the HTTP status if there was one."""

    def __init__(self, message, *, status=None, retry_after=None, requests_made=1):
        super().__init__(message)
        self.status = status
        self.retry_after = retry_after  # seconds, when a 429 or 503 said how long to wait
        self.requests_made = requests_made


@dataclass
class Fetched:
    status: int  # 200 or 304
    url: str  # where the body came from, after redirects
    moved_to: str | None  # the new address when every redirect on the way was permanent
    body: bytes = b""
    content_type: str = ""
    etag: str = ""
    last_modified: str = ""
    requests_made: int = 1


def new_session():
    session = requests.Session()
    session.headers.update({"User-Agent": settings.FEEDS_USER_AGENT, "Accept": ACCEPT})
    return session


def fetch(session, url, *, etag="", last_modified=""):
    """GET the feed at `url`, conditionally; raise FetchError when it cannot be had."""
    deadline = time.monotonic() + settings.FEEDS_TIMEOUT
    headers = {}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    permanent, sent = True, 0
    for _ in range(MAX_REDIRECTS + 1):
        check_url(url)
        sent += 1
        response = _get(session, url, headers, deadline, sent)
        with response:
            if not response.is_redirect:
                return _answer(response, url, permanent, deadline, sent)
            permanent = permanent and response.status_code in PERMANENT
            url = urljoin(url, response.headers.get("Location", ""))
    raise FetchError(f"More than {MAX_REDIRECTS} redirects.", status=response.status_code, requests_made=sent)


def check_url(url):
    """Raise FetchError unless `url` may be fetched: http(s), and a public address unless FEEDS_ALLOW_PRIVATE."""
    parts = urlsplit(url)
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        raise FetchError(f"Only http and https URLs are fetched, not {url[:100]!r}.")
    if settings.FEEDS_ALLOW_PRIVATE:
        return
    try:
        addresses = {info[4][0] for info in socket.getaddrinfo(parts.hostname, parts.port or 80, socket.AF_UNSPEC)}
    except (OSError, UnicodeError):
        raise FetchError(f"The host {parts.hostname} cannot be resolved.") from None
    for address in addresses:
        if not ipaddress.ip_address(address.split("%")[0]).is_global:
            raise FetchError(
                f"The host {parts.hostname} is at a non-public address ({address}); FEEDS_ALLOW_PRIVATE allows it."
            )


def _get(session, url, headers, deadline, sent):
    left = deadline - time.monotonic()
    if left <= 0:
        raise FetchError(f"No answer within {settings.FEEDS_TIMEOUT:g} s (FEEDS_TIMEOUT).", requests_made=sent)
    try:
        return session.get(url, headers=headers, timeout=(min(5.0, left), left), allow_redirects=False, stream=True)
    except (requests.Timeout, urllib3.exceptions.TimeoutError):
        raise FetchError(f"No answer within {left:.1f} s (FEEDS_TIMEOUT).", requests_made=sent) from None
    except requests.ConnectionError:
        raise FetchError(f"Cannot connect to {urlsplit(url).netloc}.", requests_made=sent) from None
    except (requests.RequestException, urllib3.exceptions.HTTPError) as exc:
        raise FetchError(f"The request failed ({type(exc).__name__}).", requests_made=sent) from None


def _answer(response, url, permanent, deadline, sent):
    status = response.status_code
    moved_to = url if permanent and sent > 1 else None
    if status == 304:
        return Fetched(304, url, moved_to, requests_made=sent)
    if status != 200:
        retry_after = retry_after_seconds(response.headers) if status in {429, 503} else None
        reason = " (Gone: the publisher removed it)" if status == 410 else ""
        raise FetchError(f"HTTP {status}{reason}.", status=status, retry_after=retry_after, requests_made=sent)
    return Fetched(
        200,
        url,
        moved_to,
        body=_read(response, deadline, sent),
        content_type=response.headers.get("Content-Type", ""),
        etag=response.headers.get("ETag", "")[:500],
        last_modified=response.headers.get("Last-Modified", "")[:100],
        requests_made=sent,
    )


def _read(response, deadline, sent):
    limit = settings.FEEDS_MAX_BYTES
    declared = response.headers.get("Content-Length", "")
    if declared.isdigit() and int(declared) > limit:
        raise FetchError(f"The feed is larger than {limit:,} bytes (FEEDS_MAX_BYTES).", status=200, requests_made=sent)
    try:
        return read_body(response, max_bytes=limit, deadline=deadline)
    except AnswerTooLarge:
        raise FetchError(
            f"The feed is larger than {limit:,} bytes (FEEDS_MAX_BYTES).", status=200, requests_made=sent
        ) from None
    except AnswerTooSlow:
        raise FetchError(
            f"The feed was still arriving after {settings.FEEDS_TIMEOUT:g} s (FEEDS_TIMEOUT).",
            status=200,
            requests_made=sent,
        ) from None
    except (requests.RequestException, urllib3.exceptions.HTTPError, OSError) as exc:
        raise FetchError(f"The answer was cut short ({type(exc).__name__}).", status=200, requests_made=sent) from None
