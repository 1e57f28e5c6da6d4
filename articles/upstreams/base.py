"""
What the upstream clients share: the one HTTP path out.

`UpstreamClient.get_json` is the only place a request leaves the service. Every
attempt, retries included, goes through the same checks, which is why the retry
loop is here and not in urllib3: each attempt is paced, counted against the
source's daily budget, bounded by the source's time limit and logged with its
API key masked. Failures surface as `UpstreamError` with one sentence that names
the source; `BudgetSpent` means the daily budget ran out (a normal stop).
"""

import json
import logging
import time
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

import requests
import urllib3
from django.conf import settings

from ..masking import mask_secrets

logger = logging.getLogger(__name__)

USER_AGENT = "news-aggregator/1.0 (python-requests)"
CONNECT_TIMEOUT = 5.0
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
MAX_ANSWER_BYTES = 20 * 1024 * 1024
READ_SIZE = 64 * 1024


class UpstreamError(Exception):
    """An upstream failed; the message is one sentence, safe to show and store."""


class BudgetSpent(Exception):
    """The source's daily request budget is used up."""


class AnswerTooLarge(Exception):
    """A body past its size bound."""


class AnswerTooSlow(Exception):
    """A body still arriving at its deadline."""


def read_body(response, *, max_bytes, deadline):
    """A streamed response's whole body, read as it comes (decoded): AnswerTooLarge once past `max_bytes`,
    AnswerTooSlow once past `deadline` (time.monotonic()). The upstreams' and the feeds' one bounded read."""
    chunks, size = [], 0
    while chunk := response.raw.read1(READ_SIZE, decode_content=True):
        chunks.append(chunk)
        size += len(chunk)
        if size > max_bytes:
            raise AnswerTooLarge
        if time.monotonic() > deadline:
            raise AnswerTooSlow
    return b"".join(chunks)


def error_message(payload):
    """The message of an error answer of either upstream: `{"message"}` or `{"response": {"message"}}`."""
    if not isinstance(payload, dict):
        return None
    inner = payload.get("response")
    message = payload.get("message") or (inner.get("message") if isinstance(inner, dict) else None)
    return message if isinstance(message, str) else None


def retry_after_seconds(headers):
    """The seconds an answer's Retry-After asks to wait (a number of seconds or an HTTP date), or None."""
    value = headers.get("Retry-After", "").strip()
    if value.isdigit():
        return float(value)
    try:
        return max(0.0, (parsedate_to_datetime(value) - datetime.now(UTC)).total_seconds())
    except (TypeError, ValueError):
        return None


def retries(count):
    return f"{count} {'retry' if count == 1 else 'retries'}"


class UpstreamClient:
    """One upstream's HTTP session for the length of one ingest run."""

    def __init__(
        self,
        *,
        label,
        base_url_setting,
        key_setting,
        requests_allowed,
        before_request=None,
        headers=None,
        params=None,
        per_second=0,
        sleep=time.sleep,
    ):
        self.label = label
        self.base_url_setting = base_url_setting
        self.base_url = getattr(settings, base_url_setting)
        self.key_setting = key_setting
        self.requests_allowed = requests_allowed
        self.requests_made = 0
        self.before_request = before_request  # called with each request's number, before it is sent
        self.session = requests.Session()
        self.session.headers["User-Agent"] = USER_AGENT
        self.session.headers.update(headers or {})
        self.params = params or {}
        self.per_second = per_second
        self.sleep = sleep
        self.last_request_at = float("-inf")
        self.deadline = time.monotonic() + settings.UPSTREAM_SOURCE_TIMEOUT

    def close(self):
        self.session.close()

    def get_json(self, path, params):
        """GET `path`, retrying 429 and 5xx answers; return (status, parsed JSON). A 401 or 403 raises."""
        for attempt in range(settings.UPSTREAM_RETRIES + 1):
            status, headers, body = self._send(path, params)
            if status not in RETRY_STATUSES or attempt == settings.UPSTREAM_RETRIES:
                break
            delay = self._retry_delay(headers, attempt)
            self._wait(delay, f"{self.label} answered HTTP {status} and asked to wait {delay:g} s")
            logger.info("%s answered %s; retried after %.1f s", self.label, status, delay)
        if status in {401, 403}:
            self.fail(status, error_message(self._loads(body)))
        payload = self._loads(body)
        if payload is None:
            raise UpstreamError(f"{self.label} answered HTTP {status} with {self._describe(headers, body)}.")
        return status, payload

    def fail(self, status, message):
        """Raise the UpstreamError that an unexpected answer `status` deserves."""
        reason = f": {mask_secrets(message)[:200].rstrip('. ')}" if message else ""
        if status in {401, 403}:
            raise UpstreamError(f"{self.label} rejected the API key (HTTP {status}{reason}); check {self.key_setting}.")
        if status in RETRY_STATUSES:
            after = retries(settings.UPSTREAM_RETRIES)
            raise UpstreamError(f"{self.label} still answered HTTP {status} after {after}{reason}.")
        raise UpstreamError(f"{self.label} answered HTTP {status}{reason}.")

    def _send(self, path, params):
        if self.requests_made >= self.requests_allowed:
            raise BudgetSpent
        if self.per_second:
            wait = self.last_request_at + 1 / self.per_second - time.monotonic()
            self._wait(wait, f"{self.label} must wait {wait:.1f} s between requests (GUARDIAN_REQUESTS_PER_SECOND)")
        self._check_deadline()
        if self.before_request:
            self.before_request(self.requests_made + 1)
        self.last_request_at = time.monotonic()
        self.requests_made += 1
        read_timeout = max(0.1, min(settings.UPSTREAM_TIMEOUT, self.deadline - self.last_request_at))
        try:
            response = self.session.get(
                self.base_url + path,
                params={**params, **self.params},
                timeout=(CONNECT_TIMEOUT, read_timeout),
                allow_redirects=False,  # a redirect would take the key to another host
                stream=True,
            )
            with response:
                body = self._read(response)
        except (requests.Timeout, urllib3.exceptions.TimeoutError):
            raise UpstreamError(f"{self.label} did not answer within {read_timeout:.1f} s.") from None
        except requests.ConnectionError:
            raise UpstreamError(f"Cannot connect to {self.label} at {self.base_url}.") from None
        except (requests.RequestException, urllib3.exceptions.HTTPError) as exc:
            raise UpstreamError(f"{self.label}: the connection failed ({type(exc).__name__}).") from None
        if response.is_redirect:
            location = mask_secrets(response.headers.get("Location", "nowhere"))
            raise UpstreamError(
                f"{self.label} answered HTTP {response.status_code}, a redirect to {location}; "
                f"check {self.base_url_setting}."
            )
        logger.debug(
            "GET %s -> %s in %.0f ms", response.url, response.status_code, response.elapsed.total_seconds() * 1000
        )
        return response.status_code, response.headers, body

    def _read(self, response):
        """The whole body, read as it comes, within the source's time bound and MAX_ANSWER_BYTES."""
        try:
            return read_body(response, max_bytes=MAX_ANSWER_BYTES, deadline=self.deadline)
        except AnswerTooLarge:
            raise UpstreamError(f"{self.label} sent an answer larger than {MAX_ANSWER_BYTES // 2**20} MB.") from None
        except AnswerTooSlow:
            raise UpstreamError(
                f"{self.label} was still sending its answer after {settings.UPSTREAM_SOURCE_TIMEOUT:g} s "
                "(UPSTREAM_SOURCE_TIMEOUT); stopped there."
            ) from None

    def _wait(self, seconds, reason):
        """Sleep `seconds` for `reason`, unless that would pass the source's time bound: then fail, saying why."""
        if seconds <= 0:
            return
        if time.monotonic() + seconds >= self.deadline:
            limit = settings.UPSTREAM_SOURCE_TIMEOUT
            raise UpstreamError(f"{reason}, longer than the time left (UPSTREAM_SOURCE_TIMEOUT: {limit:g} s).")
        self.sleep(seconds)

    def _check_deadline(self):
        if time.monotonic() >= self.deadline:
            limit = settings.UPSTREAM_SOURCE_TIMEOUT
            raise UpstreamError(f"{self.label} took longer than {limit:g} s (UPSTREAM_SOURCE_TIMEOUT); stopped there.")

    def _retry_delay(self, headers, attempt):
        retry_after = retry_after_seconds(headers)
        return settings.UPSTREAM_BACKOFF * 2**attempt if retry_after is None else retry_after

    @staticmethod
    def _loads(body):
        try:
            return json.loads(body)
        except ValueError:  # UnicodeDecodeError included
            return None

    @staticmethod
    def _describe(headers, body):
        start = body[:200].lstrip().lower()
        if start.startswith(b"<") or "html" in headers.get("Content-Type", ""):
            return "an HTML page instead of JSON"
        if not start:
            return "an empty body instead of JSON"
        return "malformed JSON (cut short or invalid)"
