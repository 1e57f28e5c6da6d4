"""
What the upstream clients share: the one HTTP path out and the normalised article.

`UpstreamClient.get_json` is the only place a request leaves the service. Every
attempt, retries included, goes through the same checks, which is why the retry
loop is here and not in urllib3: each attempt is paced, counted against the
source's daily budget, bounded by the source's time limit and logged with its
API key masked. Failures surface as `UpstreamError` with one sentence that names
the source; `BudgetSpent` means the daily budget ran out (a normal stop).
"""

import html
import logging
import re
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import requests
from django.conf import settings
from django.utils.html import strip_tags

from ..masking import mask_secrets

logger = logging.getLogger(__name__)

USER_AGENT = "news-aggregator/1.0 (python-requests)"
CONNECT_TIMEOUT = 5.0
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
MAX_URL_LENGTH = 2000

_TRACKING_PARAMETER = re.compile(
    r"^(utm_.*|fbclid|gclid|dclid|msclkid|mc_cid|mc_eid|cmp|ocid|igshid|_ga|ref_src|at_.*)$", re.IGNORECASE
)


class UpstreamError(Exception):
    """An upstream failed; the message is one sentence, safe to show and store."""


class BudgetSpent(Exception):
    """The source's daily request budget is used up."""


@dataclass(frozen=True, slots=True)
class ArticleIn:
    """An article as both upstreams are normalised to, ready to store."""

    url: str
    source: str
    source_name: str
    external_id: str
    title: str
    description: str
    author: str
    image_url: str
    category: str
    published_at: datetime


@dataclass
class Page:
    """One page of one category's results: the articles kept and how many items were not."""

    category: str
    number: int
    articles: list[ArticleIn] = field(default_factory=list)
    skipped: int = 0

    @property
    def fetched(self):
        return len(self.articles) + self.skipped

    @classmethod
    def from_items(cls, *, category, number, items: Iterable, normalise: Callable):
        page = cls(category=category, number=number)
        for item in items:
            article = normalise(item, category=category) if isinstance(item, dict) else None
            if article is None:
                page.skipped += 1
            else:
                page.articles.append(article)
        return page


def canonical_url(raw):
    """The URL an article is known by: http(s), lower-case host, no fragment, no tracking parameters."""
    if not isinstance(raw, str):
        return None
    parts = urlsplit(raw.strip())
    if parts.scheme.lower() not in {"http", "https"} or not parts.netloc:
        return None
    query = parts.query
    if query:
        pairs = parse_qsl(query, keep_blank_values=True)
        query = urlencode([(k, v) for k, v in pairs if not _TRACKING_PARAMETER.match(k)])
    url = urlunsplit((parts.scheme.lower(), parts.netloc.lower(), parts.path or "/", query, ""))
    return url if len(url) <= MAX_URL_LENGTH else None


def plain_text(value, *, limit=None):
    """Text without HTML tags or entities and with white space folded; '' for None."""
    if not isinstance(value, str):
        return ""
    # Most text has neither tags nor entities, and strip_tags is the costliest step of a normaliser.
    if "<" in value:
        value = strip_tags(value)
    if "&" in value:
        value = html.unescape(value)
    text = " ".join(value.split())
    return text[:limit] if limit else text


def parse_timestamp(value):
    """An ISO 8601 time as an aware UTC datetime, or None."""
    if not isinstance(value, str):
        return None
    try:
        moment = datetime.fromisoformat(value.strip())
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


class UpstreamClient:
    """One upstream's HTTP session for the length of one ingest run."""

    def __init__(self, *, label, base_url, key_setting, requests_allowed, headers=None, params=None, per_second=0):
        self.label = label
        self.base_url = base_url
        self.key_setting = key_setting
        self.requests_allowed = requests_allowed
        self.requests_made = 0
        self.session = requests.Session()
        self.session.headers["User-Agent"] = USER_AGENT
        self.session.headers.update(headers or {})
        self.params = params or {}
        self.min_interval = 1 / per_second if per_second else 0.0
        self.last_request_at = float("-inf")
        self.deadline = time.monotonic() + settings.UPSTREAM_SOURCE_TIMEOUT

    def close(self):
        self.session.close()

    def get_json(self, path, params):
        """GET `path`, retrying 429 and 5xx answers; return (status, parsed JSON)."""
        for attempt in range(settings.UPSTREAM_RETRIES + 1):
            response = self._send(path, params)
            if response.status_code not in RETRY_STATUSES or attempt == settings.UPSTREAM_RETRIES:
                break
            delay = self._retry_delay(response, attempt)
            if time.monotonic() + delay > self.deadline:
                raise UpstreamError(
                    f"{self.label} answered HTTP {response.status_code} and asked to wait {delay:g} s, "
                    "longer than the time left (UPSTREAM_SOURCE_TIMEOUT)."
                )
            logger.info("%s answered %s; retrying in %.1f s", self.label, response.status_code, delay)
            time.sleep(delay)
        return response.status_code, self._parse(response)

    def fail(self, status, message):
        """Raise the UpstreamError that an unexpected answer `status` deserves."""
        reason = f": {mask_secrets(message)[:200].rstrip('. ')}" if message else ""
        if status in {401, 403}:
            raise UpstreamError(f"{self.label} rejected the API key (HTTP {status}{reason}); check {self.key_setting}.")
        if status in RETRY_STATUSES:
            retries = settings.UPSTREAM_RETRIES
            raise UpstreamError(f"{self.label} still answered HTTP {status} after {retries} retries{reason}.")
        raise UpstreamError(f"{self.label} answered HTTP {status}{reason}.")

    def _send(self, path, params):
        if self.requests_made >= self.requests_allowed:
            raise BudgetSpent
        now = time.monotonic()
        if now >= self.deadline:
            raise UpstreamError(
                f"{self.label} took longer than {settings.UPSTREAM_SOURCE_TIMEOUT:g} s "
                "(UPSTREAM_SOURCE_TIMEOUT); stopped there."
            )
        wait = self.last_request_at + self.min_interval - now
        if wait > 0:
            time.sleep(wait)
        self.last_request_at = time.monotonic()
        self.requests_made += 1
        read_timeout = max(0.1, min(settings.UPSTREAM_TIMEOUT, self.deadline - self.last_request_at))
        try:
            response = self.session.get(
                self.base_url + path, params={**params, **self.params}, timeout=(CONNECT_TIMEOUT, read_timeout)
            )
        except requests.Timeout:
            raise UpstreamError(f"{self.label} did not answer within {read_timeout:g} s.") from None
        except requests.ConnectionError:
            raise UpstreamError(f"Cannot connect to {self.label} at {self.base_url}.") from None
        except requests.RequestException as exc:
            raise UpstreamError(f"{self.label} request failed: {mask_secrets(exc)}") from None
        logger.debug(
            "GET %s -> %s in %.0f ms", response.url, response.status_code, response.elapsed.total_seconds() * 1000
        )
        return response

    def _retry_delay(self, response, attempt):
        retry_after = response.headers.get("Retry-After", "").strip()
        if retry_after.isdigit():
            return float(retry_after)
        if retry_after:
            try:
                return max(0.0, (parsedate_to_datetime(retry_after) - datetime.now(UTC)).total_seconds())
            except (TypeError, ValueError):
                pass
        return settings.UPSTREAM_BACKOFF * 2**attempt

    def _parse(self, response):
        try:
            return response.json()
        except ValueError:
            body = response.text.lstrip()[:200].lower()
            if body.startswith("<") or "html" in response.headers.get("Content-Type", ""):
                kind = "an HTML page instead of JSON"
            elif not body:
                kind = "an empty body instead of JSON"
            else:
                kind = "malformed JSON (cut short or invalid)"
            raise UpstreamError(f"{self.label} answered HTTP {response.status_code} with {kind}.") from None
