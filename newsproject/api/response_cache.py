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

from django.conf import settings
from django.http import HttpResponse, HttpResponseNotModified
from django.utils.cache import patch_cache_control, set_response_etag
from django.utils.http import parse_etags

from .authentication import KeyCheck, RateWindow, client_for, key_digest, key_from_request, key_state_name
from .cachestore import CacheUnavailable, store

logger = logging.getLogger(__name__)

GENERATION = "generation"
LOOKUPS = "stats:lookups"
MISSES = "stats:misses"
PAGE_FORMAT = "v1"  # in every page's name: a server that stores pages differently never reads these
PAGE_HEADERS = ("Content-Type", "Allow", "Vary", "ETag", "Cache-Control")
JSON_RANGES = {"*/*", "application/*", "application/json"}
COMPUTE_LOCK_SECONDS = 5
WAIT_STEP_SECONDS = 0.01


@dataclass(frozen=True)
class Page:
    generation: str | None
    headers: dict
    content: bytes

    @classmethod
    def of(cls, generation, response):
        return cls(
            generation, {name: response[name] for name in PAGE_HEADERS if response.has_header(name)}, response.content
        )

    def to_bytes(self):
        return json.dumps([self.generation, self.headers]).encode() + b"\n" + self.content

    @classmethod
    def from_bytes(cls, stored):
        """The page stored, or None: nothing stored, or nothing this code wrote."""
        if stored is None:
            return None
        about, _, content = stored.partition(b"\n")
        try:
            generation, headers = json.loads(about)
        except ValueError:
            return None
        return cls(generation, headers, content)


@dataclass
class Lookup:
    """A GET with a good key, within its limit, and the page the cache holds for it, if any."""

    name: str
    generation: str | None
    stored: Page | None
    lock_token: str | None = None

    def page(self):
        """The current page: stored, or stored meanwhile by the request computing it. None: this request is to
        compute it, holding its lock (unless the cache fails, or the lock's holder takes too long)."""
        if self.current(self.stored):
            return self.stored
        try:
            return self.page_computed_once()
        except CacheUnavailable:
            return None

    def page_computed_once(self):
        token = secrets.token_hex(8)
        deadline = time.monotonic() + 2 * COMPUTE_LOCK_SECONDS
        while True:
            if store().add(self.lock_name, token, COMPUTE_LOCK_SECONDS):
                self.lock_token = token
                page = self.current(Page.from_bytes(store().get(self.name)))  # stored by the lock's last holder?
                if page is not None:
                    self.release()
                return page
            if time.monotonic() > deadline:
                return None
            time.sleep(WAIT_STEP_SECONDS)
            page = self.current(Page.from_bytes(store().get(self.name)))
            if page is not None:
                return page

    def current(self, page):
        return page if page is not None and page.generation == self.generation else None

    def finish(self, response):
        """After computing: counts the miss, stores a 200 under the generation read before it was computed (so
        never one newer than its data), and lets the requests waiting for it go."""
        with suppress(CacheUnavailable):
            store().increment(MISSES)
            if response is not None and response.status_code == 200:
                store().set(self.name, Page.of(self.generation, response).to_bytes(), settings.CACHE_TTL)
        self.release()

    def release(self):
        if self.lock_token is not None:
            with suppress(CacheUnavailable):
                store().delete_if_equal(self.lock_name, self.lock_token)  # not a lock that expired and was retaken
            self.lock_token = None

    @property
    def lock_name(self):
        return f"lock:{self.name}"


def cached_response(view):
    """`view`'s 200 answers to GET served from the cache for CACHE_TTL seconds; every GET answer says X-Cache."""

    @wraps(view)
    def respond(request, *args, **kwargs):
        lookup = look_up(request)
        page = lookup.page() if lookup is not None else None
        if page is not None:
            response = HttpResponse(page.content, headers=page.headers)
            return with_cache_state(not_modified_or(request, response), "HIT")
        response = None
        try:
            response = view(request, *args, **kwargs)
            if request.method in ("GET", "HEAD"):
                response = with_etag(response)
        finally:
            if lookup is not None:
                lookup.finish(response)
        if request.method not in ("GET", "HEAD"):
            return response
        return with_cache_state(not_modified_or(request, response), "MISS")

    return respond


def look_up(request):
    """A Lookup for a request the cache may answer; None where DRF must. Either way the key has been checked and
    the request counted, if the cache answered, and DRF is told so (KeyCheck)."""
    key = key_from_request(request)
    if request.method not in ("GET", "HEAD") or key is None or not wants_plain_json(request):
        return None
    now = time.time()
    digest = key_digest(key)
    window = RateWindow.current(now)
    caching = settings.CACHE_TTL > 0
    name = page_name(request)
    counter = window.counter_name(digest)
    try:
        values, counts = store().get_and_count(
            [key_state_name(digest), *([GENERATION, name] if caching else [])],
            [(counter, window.ends_at), *([(LOOKUPS, None)] if caching else [])],
        )
    except CacheUnavailable:
        return None  # DRF checks the key in the database; there is no rate limit without the cache
    check = KeyCheck(client_for(key, digest, values[0], now), window.decide(counts[0]))
    check.remember(request)
    if check.client is None or not check.rate.allowed:
        with suppress(CacheUnavailable):
            if check.client is None:
                store().delete(counter)  # a made-up key leaves no counter behind
            if caching:
                store().increment(LOOKUPS, -1)  # refused: neither a hit nor a miss
        return None
    if not caching:
        return None
    generation = values[1].decode() if isinstance(values[1], bytes) else values[1]
    return Lookup(name, generation, Page.from_bytes(values[2]))


def wants_plain_json(request):
    """Whether DRF would answer with its JSON renderer's defaults: JSON is acceptable, and Accept does not name
    `indent`, the one parameter the renderer reads (it changes the bytes)."""
    accept = request.META.get("HTTP_ACCEPT", "*/*").lower()
    return "indent" not in accept and any(part.split(";")[0].strip() in JSON_RANGES for part in accept.split(","))


def with_etag(response):
    """A 200 with an ETag, and Cache-Control that lets a client keep it but ask (If-None-Match) before reusing it."""
    if response.status_code == 200:
        response.render()
        set_response_etag(response)
        patch_cache_control(response, private=True, no_cache=True)
    return response


def not_modified_or(request, response):
    """304 for an If-None-Match naming the page's ETag (or `*`), weakly compared; else the response itself.
    If-Match and If-Unmodified-Since are for writes, which these endpoints refuse: they are ignored."""
    if response.status_code != 200:
        return response
    etags = parse_etags(request.META.get("HTTP_IF_NONE_MATCH", ""))
    if "*" not in etags and weak(response["ETag"]) not in {weak(etag) for etag in etags}:
        return response
    not_modified = HttpResponseNotModified()
    for header in ("ETag", "Cache-Control", "Vary"):
        if response.has_header(header):
            not_modified[header] = response[header]
    return not_modified


def weak(etag):
    return etag.removeprefix("W/")


def with_cache_state(response, state):
    response["X-Cache"] = state
    return response


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
