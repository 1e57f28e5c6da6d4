"""
The page cache's hits answered before Django's request handler: newsproject/wsgi.py wraps
the Django application in PageCacheApplication (settings.WSGI_HIT_PATH names it).

A hit needs none of what the handler does for every request (the request_started and
request_finished signals, the middleware chain, URL resolution), and that work was the
larger part of a hit's cost (docs/BENCHMARKS.md). The answer is the one the middleware
would give: the same lookup, the same page with the headers stored with it (the
security middleware's included), the timing headers and the log line. Anything else,
misses included, goes on to Django with the key check and the lookup kept in the
environ, so that neither is asked for again.
"""

import time
from http import HTTPStatus

from django.conf import settings
from django.core.handlers.wsgi import WSGIRequest

from profiling.middleware import log_request, record_time, timing_headers

from .keys import CHECKED
from .middleware import LOOKED_UP, hit_answer, hit_response, is_page_cached, look_up


def wants_cors(request):
    """A browser's request from another origin, CORS being on: its hit is answered by the middleware, under the CORS
    middleware that adds the headers the Origin calls for (a page is stored without them)."""
    return bool(settings.CORS_ALLOWED_ORIGINS) and "HTTP_ORIGIN" in request.META


class PageCacheApplication:
    def __init__(self, application):
        self.application = application

    def __call__(self, environ, start_response):
        started = time.perf_counter()
        # A copy: WSGIRequest rewrites PATH_INFO decoded, which Django's own request would then fail to decode again.
        request = WSGIRequest(environ.copy())
        lookup = look_up(request) if is_page_cached(request) and not wants_cors(request) else None
        page = lookup.current(lookup.stored) if lookup is not None else None
        if page is None:
            environ.update((name, request.META[name]) for name in (CHECKED, LOOKED_UP) if name in request.META)
            return self.application(environ, start_response)
        if "HTTP_IF_NONE_MATCH" in environ:  # a 304 perhaps: Django's response classes make it
            response = record_time(request, hit_response(request, page), started)
            status, headers, content = (
                f"{response.status_code} {response.reason_phrase}",
                response.items(),
                response.content,
            )
        else:  # the common hit: its headers as stored, not built into a response object and read out again
            milliseconds, timing = timing_headers(started)
            content, headers = hit_answer(request, page)
            status, headers = f"{page.status} {HTTPStatus(page.status).phrase}", headers + timing
            log_request(request, page.status, milliseconds, "HIT")
        start_response(status, list(headers))
        return [] if request.method == "HEAD" else [content]
