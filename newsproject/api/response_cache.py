"""
Whole API responses in the cache, shared by every server process and every API key.

One round trip to the cache answers three questions for a GET: is the key good, is
it within its rate limit, and is the page stored? A stored page is served from here
without DRF; every other request goes through DRF, which reuses those answers rather
than asking again. So a request without a good key, or over its limit, never gets a
page, cached or not.

A page is stored with the cache generation current when it was computed; ingesting
new articles starts a new generation, so the next request computes the page again.
While one request computes a page, the others that want it wait for it rather than
all asking the database. Hits and misses are counted here, for /api/cache/stats/.
"""

import hashlib
import json
import logging
import secrets
import time
from contextlib import suppress
from dataclasses import dataclass
from functools import wraps
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpResponse
from django.utils.cache import get_conditional_response, patch_cache_control, set_response_etag

from .authentication import (
    RateWindow,
    client_from_database,
    client_from_state,
    key_digest,
    key_from_request,
    key_state_name,
)
from .cachestore import CacheUnavailable, store

logger = logging.getLogger(__name__)

GENERATION = "generation"
LOOKUPS = "stats:lookups"
MISSES = "stats:misses"
COMPUTE_LOCK_SECONDS = 5
WAIT_STEP_SECONDS = 0.01


@dataclass(frozen=True)
class Page:
    generation: str | None
    headers: dict
    content: bytes

    def to_bytes(self):
        return json.dumps([self.generation, self.headers]).encode() + b"\n" + self.content

    @classmethod
    def from_bytes(cls, stored):
        if stored is None:
            return None
        about, _, content = stored.partition(b"\n")
        generation, headers = json.loads(about)
        return cls(generation, headers, content)


@dataclass
class Lookup:
    """A GET with a good key, within its limit, and what the cache holds for it."""

    name: str
    generation: str | None
    page: Page | None
    computing: bool = False

    def page_or_claim(self):
        """The stored page if it is current; else None, and this request computes it, unless another already is."""
        if self.current(self.page) is not None:
            return self.page
        self.computing = store().add(self.lock_name, b"1", COMPUTE_LOCK_SECONDS)
        return None if self.computing else self.wait_for_page()

    def wait_for_page(self):
        """The page another request is computing, once stored; None if this request is to compute it after all:
        the other stopped without storing it (not a 200), or took longer than its lock lasts."""
        deadline = time.monotonic() + COMPUTE_LOCK_SECONDS
        while time.monotonic() < deadline:
            time.sleep(WAIT_STEP_SECONDS)
            self.computing = store().add(self.lock_name, b"1", COMPUTE_LOCK_SECONDS)
            page = self.current(Page.from_bytes(store().get(self.name)))  # after the lock: stored before released
            if page is not None:
                self.release()
                return page
            if self.computing:
                return None
        return None

    def current(self, page):
        return page if page is not None and page.generation == self.generation else None

    def keep(self, response):
        """Counts the miss and stores a 200 under the generation read before it was computed, so never newer."""
        with suppress(CacheUnavailable):
            store().increment(MISSES)
            if response.status_code == 200:
                page = Page(self.generation, dict(response.items()), response.content)
                store().set(self.name, page.to_bytes(), settings.CACHE_TTL)

    def release(self):
        if self.computing:
            self.computing = False
            with suppress(CacheUnavailable):
                store().delete(self.lock_name)

    @property
    def lock_name(self):
        return f"lock:{self.name}"


def cached_response(view):
    """`view`'s 200 answers to GET served from the cache for CACHE_TTL seconds; every GET answer says X-Cache."""

    @wraps(view)
    def respond(request, *args, **kwargs):
        lookup = look_up(request)
        try:
            page = lookup.page_or_claim() if lookup is not None else None
        except CacheUnavailable:
            lookup = page = None
        if page is not None:
            return tagged(conditional(request, HttpResponse(page.content, headers=page.headers)), "HIT")
        try:
            response = revalidated(view(request, *args, **kwargs))
            if lookup is not None:
                lookup.keep(response)
        finally:
            if lookup is not None:
                lookup.release()
        return tagged(conditional(request, response), "MISS")

    return respond


def look_up(request):
    """A Lookup for a GET the cache may answer; None where DRF must (and DRF is told what the cache said)."""
    key = key_from_request(request)
    if request.method != "GET" or key is None or not accepts_json(request):
        return None
    now = time.time()
    digest = key_digest(key)
    window = RateWindow.current(now)
    caching = settings.CACHE_TTL > 0
    name = page_name_for(request)
    gets = [key_state_name(digest), *([GENERATION, name] if caching else [])]
    increments = [(window.counter_name(digest), window.seconds), *([(LOOKUPS, None)] if caching else [])]
    try:
        values, counts = store().exchange(gets, increments)
    except CacheUnavailable:
        return None  # DRF checks the key in the database; there is no rate limit without the cache
    state = values[0]
    request.api_client = (
        client_from_state(digest, state, now) if state is not None else client_from_database(key, digest, now)
    )
    request.rate_decision = window.decide(counts[0])
    if not caching:
        return None
    if request.api_client is None or not request.rate_decision.allowed:
        uncount_lookup()  # refused: neither a hit nor a miss
        return None
    generation = values[1].decode() if isinstance(values[1], bytes) else values[1]
    return Lookup(name, generation, Page.from_bytes(values[2]))


def accepts_json(request):
    """As request.accepts(), without parsing every header for the two values clients send almost always."""
    accept = request.META.get("HTTP_ACCEPT", "*/*")
    return accept in ("*/*", "application/json") or request.accepts("application/json")


def revalidated(response):
    """A 200 with an ETag, and Cache-Control that lets a client keep it but ask (If-None-Match) before reusing it."""
    if response.status_code == 200:
        response.render()
        set_response_etag(response)
        patch_cache_control(response, private=True, no_cache=True)
    return response


def conditional(request, response):
    if response.status_code != 200:
        return response
    return get_conditional_response(request, etag=response["ETag"], response=response)


def tagged(response, state):
    response["X-Cache"] = state
    return response


def page_name_for(request):
    """The page's name: the absolute URL (`next` and `previous` in the body name the host) and sorted parameters."""
    parameters = urlencode(sorted(request.GET.lists()), doseq=True)
    url = f"{request.scheme}://{request.get_host()}{request.path}?{parameters}"
    return f"page:{hashlib.blake2b(url.encode(), digest_size=16).hexdigest()}"


def uncount_lookup():
    with suppress(CacheUnavailable):
        store().increment(LOOKUPS, -1)


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
    (lookups, misses), _ = store().exchange([LOOKUPS, MISSES], [])
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
