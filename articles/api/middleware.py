"""
The page cache's place in a request: second in MIDDLEWARE, after the timing.

A GET or HEAD for a page-cached endpoint (a viewset with `page_cached = True`) with a
good key, within its limit, is looked up in the same round trip to the cache that
checks the key and counts the request (keys.check_request). A stored page is answered
from here, before the rest of the middleware and DRF. Every other request goes on
through the stack to DRF, which gets the same key check rather than asking again; a
200 it computes is stored on its way back.

Under gunicorn, wsgi.py answers most hits even before Django's handler, with the same
look_up() and hit_response(); what it leaves (a page missing or out of date) comes here.
"""

import functools
from contextlib import suppress

from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.db import DatabaseError
from django.http import HttpResponse, HttpResponseNotModified, JsonResponse
from django.urls import get_script_prefix, reverse
from django.utils.cache import patch_cache_control, patch_vary_headers, set_response_etag
from django.utils.http import parse_etags

from .cachestore import CacheUnavailable, store
from .keys import check_request, rate_limit_headers
from .pagecache import (
    GENERATION,
    LOOKUPS,
    SECURITY_HEADERS,
    STILL_COMPUTING_RETRY_SECONDS,
    Lookup,
    StillComputing,
    page_name,
    worth_storing,
)

JSON_RANGES = {"*/*", "application/*", "application/json"}
LOOKED_UP = "news.page_lookup"


class PageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not is_page_cached(request):
            return with_rate_limit(request, self.get_response(request))
        lookup = look_up(request)
        try:
            page = lookup.page() if lookup is not None else None
        except StillComputing as exc:
            retry_after = {"Retry-After": str(STILL_COMPUTING_RETRY_SECONDS)}
            response = JsonResponse({"detail": str(exc)}, status=503, headers=retry_after)
            return with_rate_limit(request, with_cache_state(response, "MISS"))
        if page is not None:
            return hit_response(request, page)
        response = None
        try:
            response = with_etag(self.get_response(request))
        finally:
            if lookup is not None:
                lookup.finish(response)  # stored without the RateLimit headers: they are this request's own
        return with_rate_limit(request, with_cache_state(not_modified_or(request, response), "MISS"))


@functools.cache
def page_cached_paths():
    """The addresses of the page-cached endpoints' lists (their details are below them), from the router, as
    PATH_INFO gives them: without the script prefix that reverse() puts in front, whichever it is in this thread."""
    from .urls import router

    prefix = get_script_prefix()
    return tuple(
        "/" + reverse(f"{basename}-list").removeprefix(prefix)
        for _, viewset, basename in router.registry
        if viewset.page_cached
    )


def is_page_cached(request):
    """Whether the page cache answers `request`: a GET or HEAD of a page-cached endpoint that Django would not refuse
    before its view (the HTTPS redirect, a Host not allowed), so that those cost the key nothing, as before."""
    if request.method not in ("GET", "HEAD") or not request.path_info.startswith(page_cached_paths()):
        return False
    if request.path_info.endswith(".atom"):  # the Atom feed (feed.py), under the articles' path: by token, not key
        return False
    if settings.SECURE_SSL_REDIRECT and not request.is_secure():
        return False
    try:
        request.get_host()
    except DisallowedHost:
        return False
    return True


def look_up(request):
    """The Lookup of a request the cache may answer, or None where DRF must (no key, a bad one, over its limit, an
    Accept that changes the bytes, the page cache off). Either way the key has been checked and the request
    counted, if it had a key. Once per request: the answer is kept in its META, as the key check is."""
    if LOOKED_UP not in request.META:
        try:
            request.META[LOOKED_UP] = _look_up(request)
        except DatabaseError:  # a key checked in the database: DRF's check raises it again, and answers a 503
            request.META[LOOKED_UP] = None
    return request.META[LOOKED_UP]


def _look_up(request):
    if not wants_plain_json(request):
        return None
    caching = settings.CACHE_TTL > 0 and worth_storing(request)
    name = page_name(request)
    check = check_request(
        request, also_get=[GENERATION, name] if caching else [], also_count=[LOOKUPS] if caching else []
    )
    if check is None or not caching:
        return None
    if check.client is None or not check.allowed:
        with suppress(CacheUnavailable):
            store().increment(LOOKUPS, -1)  # refused: neither a hit nor a miss
        return None
    return Lookup.of(name, *check.fetched)


def hit_answer(request, page):
    """A hit's body, gzipped if the client takes it, and its headers: the page's, its length, X-Cache and the
    key's RateLimit headers."""
    body, headers = page.answer(request.META.get("HTTP_ACCEPT_ENCODING", ""))
    return body, [
        *headers.items(),
        ("Content-Length", str(len(body))),
        ("X-Cache", "HIT"),
        *rate_limit_headers(request),
    ]


def hit_response(request, page):
    body, headers = hit_answer(request, page)
    response = HttpResponse(body, status=page.status, headers=dict(headers))
    return with_rate_limit(request, with_cache_state(not_modified_or(request, response), "HIT"))


def with_rate_limit(request, response):
    for name, value in rate_limit_headers(request):
        response[name] = value
    return response


def wants_plain_json(request):
    """Whether DRF would answer with its JSON renderer's defaults: JSON is acceptable, and Accept does not name
    `indent`, the one parameter the renderer reads (it changes the bytes)."""
    accept = request.META.get("HTTP_ACCEPT", "*/*").lower()
    return "indent" not in accept and any(part.split(";")[0].strip() in JSON_RANGES for part in accept.split(","))


def with_etag(response):
    """A 200 with an ETag, and Cache-Control that lets a client keep it but ask (If-None-Match) before reusing it;
    Vary names Accept-Encoding, as a hit may be gzipped (GZipMiddleware compresses the misses)."""
    if response.status_code == 200:
        set_response_etag(response)
        patch_cache_control(response, private=True, no_cache=True)
        patch_vary_headers(response, ("Accept-Encoding",))
    return response


def not_modified_or(request, response):
    """304 for an If-None-Match naming the page's ETag (or `*`), weakly compared; else the response itself.

    Not Django's get_conditional_response(): it also honours If-Match and If-Unmodified-Since, which are for writes
    (these endpoints take none, and have no Last-Modified, so every If-Unmodified-Since would be a 412)."""
    if response.status_code != 200:
        return response
    etags = parse_etags(request.META.get("HTTP_IF_NONE_MATCH", ""))
    if "*" not in etags and weak(response["ETag"]) not in {weak(etag) for etag in etags}:
        return response
    not_modified = HttpResponseNotModified()
    for header in ("ETag", "Cache-Control", "Vary", *SECURITY_HEADERS):
        if response.has_header(header):
            not_modified[header] = response[header]
    return not_modified


def weak(etag):
    return etag.removeprefix("W/")


def with_cache_state(response, state):
    response["X-Cache"] = state
    return response
