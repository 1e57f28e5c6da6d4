"""
Whole API answers in the cache, shared by every server process and every API key: the
pages, how they are named, stored and kept fresh. middleware.py serves them.

A page is stored with the cache generation current when it was computed; ingesting
new articles starts a new generation, so the next request computes the page again.
While one request computes a page, the others that want it wait for it rather than
all asking the database, for as long as a computation may take (compute_seconds()).
A computation that the database stopped at DATABASE_STATEMENT_TIMEOUT is stored too,
as its 503, for its Retry-After: the requests waiting for it get that answer, and the
next ones do not ask the database the same slow question again at once.
Hits and misses are counted here, for /api/cache/stats/.

Only pages likely to be asked for again are stored (worth_storing()): not those deeper
than STORED_OFFSET_MAX, nor those after a cursor, which walk the list one client at a
time. Redis's maxmemory and allkeys-lru bound the rest (README.md, "The page cache").
"""

import gzip
import hashlib
import json
import logging
import secrets
import time
from contextlib import suppress
from dataclasses import dataclass

from django.conf import settings
from django.middleware.gzip import re_accepts_gzip as ACCEPTS_GZIP

from .cachestore import CacheUnavailable, store

logger = logging.getLogger(__name__)

GENERATION = "generation"
LOOKUPS = "stats:lookups"
MISSES = "stats:misses"
PAGE_FORMAT = "v6"  # in every page's name: a server that stores pages differently never reads these
# What the security and clickjacking middleware add to every answer: a hit, and a 304, are answered before they
# run, so a page keeps them.
SECURITY_HEADERS = (
    "X-Frame-Options",
    "X-Content-Type-Options",
    "Referrer-Policy",
    "Cross-Origin-Opener-Policy",
    "Strict-Transport-Security",
)
# What a page answers with: the view's headers but those of the moment (Date, Set-Cookie), and the security ones.
PAGE_HEADERS = ("Content-Type", "Allow", "Vary", "ETag", "Cache-Control", "Retry-After", *SECURITY_HEADERS)
# As Django's GZipMiddleware: a shorter body is not worth compressing. A page is compressed once, when stored, so
# that a hit costs no compression (docs/BENCHMARKS.md).
GZIP_MIN_LENGTH = 200
# The deepest `offset` whose pages are stored: the first pages at any `limit` are read by many clients, deeper ones by
# one client walking the list, who never asks for them again.
STORED_OFFSET_MAX = 1000
# Without a statement timeout a computation is bounded by gunicorn's worker timeout (its default) alone.
UNBOUNDED_COMPUTE_SECONDS = 30
WAIT_STEP_SECONDS = 0.01
MAX_WAIT_STEP_SECONDS = 0.2
STILL_COMPUTING_RETRY_SECONDS = 5
STILL_COMPUTING = (
    "Another request has been computing this page for {seconds} s and has not finished: try again in a few seconds."
)


def compute_seconds():
    """How long computing a page may take, so how long its lock lives and the requests waiting for it wait: the two
    queries that can be slow of a list's page (the count and the rows; a search best match first runs one, its rows
    with their count, and a count only past its last page), each stopped at DATABASE_STATEMENT_TIMEOUT, and 5 s
    more."""
    timeout = settings.DATABASE_STATEMENT_TIMEOUT
    return round(2 * timeout + 5) if timeout else UNBOUNDED_COMPUTE_SECONDS


class StillComputing(Exception):
    """A request waited for another to compute its page for as long as a computation may take."""


@dataclass(frozen=True)
class Page:
    """An answer's status, headers and body, and the body gzipped (b"" when too short to be worth it)."""

    generation: str | None
    headers: dict
    content: bytes
    gzipped: bytes = b""
    status: int = 200

    @classmethod
    def of(cls, generation, response):
        content = response.content
        # mtime=0: the same page compresses to the same bytes, whichever server stored it.
        gzipped = gzip.compress(content, compresslevel=6, mtime=0) if len(content) >= GZIP_MIN_LENGTH else b""
        headers = {name: response[name] for name in PAGE_HEADERS if response.has_header(name)}
        gzipped = gzipped if len(gzipped) < len(content) else b""
        return cls(generation, headers, content, gzipped, response.status_code)

    def to_bytes(self):
        about = json.dumps([self.generation, self.headers, len(self.gzipped), self.status]).encode()
        return about + b"\n" + self.gzipped + self.content

    @classmethod
    def from_bytes(cls, stored):
        """The page stored, or None: nothing stored, or nothing this code wrote."""
        if stored is None:
            return None
        about, _, bodies = stored.partition(b"\n")
        try:
            generation, headers, gzipped_length, status = json.loads(about)
        except ValueError:
            return None
        return cls(generation, headers, bodies[gzipped_length:], bodies[:gzipped_length], status)

    def answer(self, accept_encoding):
        """(body, headers) for a client that sent `accept_encoding`: gzipped if it takes gzip and the page has it,
        with a weak ETag then, as GZipMiddleware gives the answer it compresses."""
        if not (self.gzipped and ACCEPTS_GZIP.search(accept_encoding)):
            return self.content, self.headers
        headers = {**self.headers, "Content-Encoding": "gzip"}
        if headers.get("ETag", "").startswith('"'):
            headers["ETag"] = "W/" + headers["ETag"]
        return self.gzipped, headers


@dataclass
class Lookup:
    """A GET with a good key, within its limit, and the page the cache holds for it, if any."""

    @classmethod
    def of(cls, name, generation, stored):
        """The Lookup of page `name`, from the generation and the page as fetched from the cache."""
        return cls(name, generation.decode() if isinstance(generation, bytes) else generation, Page.from_bytes(stored))

    name: str
    generation: str | None
    stored: Page | None
    lock_token: str | None = None

    def page(self):
        """The current page: stored, or stored meanwhile by the request computing it. None: this request is to
        compute it, holding its lock (unless the cache fails). StillComputing: the lock's holder took longer than a
        computation may take (compute_seconds()), and this request waited that long."""
        if self.current(self.stored):
            return self.stored
        try:
            return self.page_computed_once()
        except CacheUnavailable:
            return None

    def page_computed_once(self):
        token = secrets.token_hex(8)
        seconds = compute_seconds()
        deadline = time.monotonic() + seconds
        step = WAIT_STEP_SECONDS
        while True:
            if store().add(self.lock_name, token, seconds):
                self.lock_token = token
                page = self.current(Page.from_bytes(store().get(self.name)))  # stored by the lock's last holder?
                if page is not None:
                    self.release()
                return page
            if time.monotonic() > deadline:
                raise StillComputing(STILL_COMPUTING.format(seconds=seconds))
            time.sleep(step)
            step = min(step * 1.5, MAX_WAIT_STEP_SECONDS)
            page = self.current(Page.from_bytes(store().get(self.name)))
            if page is not None:
                return page

    def current(self, page):
        return page if page is not None and page.generation == self.generation else None

    def finish(self, response):
        """After computing: counts the miss, stores a 200 (for CACHE_TTL) or an answer that says how long it may be
        kept (`stored_for`, seconds) under the generation read before it was computed (so never one newer than its
        data), and lets the requests waiting for it go."""
        with suppress(CacheUnavailable):
            store().increment(MISSES)
            seconds = stored_for(response)
            if seconds:
                store().set(self.name, Page.of(self.generation, response).to_bytes(), seconds)
        self.release()

    def release(self):
        if self.lock_token is not None:
            with suppress(CacheUnavailable):
                store().delete_if_equal(self.lock_name, self.lock_token)  # not a lock that expired and was retaken
            self.lock_token = None

    @property
    def lock_name(self):
        return f"lock:{self.name}"


def stored_for(response):
    """Seconds `response` may be stored as a page: CACHE_TTL for a 200; what an error says (`stored_for`); else 0."""
    if response is None:
        return 0
    return settings.CACHE_TTL if response.status_code == 200 else getattr(response, "stored_for", 0)


def worth_storing(request):
    """Whether `request`'s page is likely to be asked for again: not deeper than STORED_OFFSET_MAX, and not after a
    cursor (a `next` link: a walk down the list, as cheap for the database as the first page). A page before a
    cursor is what polling clients that read the same first page all ask for (what is newer), so it is stored."""
    query = request.META.get("QUERY_STRING", "")
    if "offset=" not in query and "cursor=" not in query:  # most requests: no parsing on the hit path
        return True
    offset = request.GET.get("offset", "")
    if offset.isascii() and offset.isdigit() and int(offset) > STORED_OFFSET_MAX:
        return False
    return not request.GET.get("cursor", "").startswith("a")


def page_name(request):
    """The page's name: its scheme and host (`next` and `previous` in the body name them), path, and parameters in
    order. The Host header is taken as sent: a host Django refuses gets a 400, which is never stored."""
    parameters = "&".join(sorted(request.META.get("QUERY_STRING", "").split("&")))
    url = f"{request.scheme}://{request.META.get('HTTP_HOST', '')}{request.path}?{parameters}"
    return f"page:{PAGE_FORMAT}:{hashlib.blake2b(url.encode(), digest_size=16).hexdigest()}"


def invalidate_pages():
    """A new generation: every stored page is out of date from the next request on."""
    try:
        store().set(GENERATION, secrets.token_hex(8))
    except CacheUnavailable:
        logger.warning(
            "The API's cached pages could not be marked out of date: they may be served for up to %d s.",
            settings.CACHE_TTL,
        )


def cache_stats():
    """What this application's page cache has done since its counters began (they live as long as the cache's data)."""
    (lookups, misses), _ = store().get_and_count([LOOKUPS, MISSES], [])
    lookups, misses = int(lookups or 0), int(misses or 0)
    hits = max(lookups - misses, 0)
    return {
        "backend": store().backend,
        "ttl_seconds": settings.CACHE_TTL,
        "hits": hits,
        "misses": misses,
        "hit_rate_percent": round(100 * hits / lookups, 2) if lookups else None,
        "keys": store().count_pages(),
    }
