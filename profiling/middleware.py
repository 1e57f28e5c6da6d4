"""Where time goes, on every response: `X-Process-Time`, `Server-Timing` and one log line."""

import logging
import time

logger = logging.getLogger("profiling.requests")


def record_time(request, response, started):
    """Put the time since `started` (a perf_counter()) on `response`, and log the request's line."""
    milliseconds, headers = timing_headers(started)
    for name, value in headers:
        response[name] = value
    log_request(request, response.status_code, milliseconds, response.get("X-Cache", "-"))
    return response


def timing_headers(started):
    """The milliseconds since `started` (a perf_counter()), and the headers that say them."""
    milliseconds = (time.perf_counter() - started) * 1000
    return milliseconds, [("X-Process-Time", f"{milliseconds:.2f}ms"), ("Server-Timing", f"app;dur={milliseconds:.2f}")]


def log_request(request, status, milliseconds, cache_state):
    logger.info("%s %s %s %.2fms cache=%s", request.method, request.path, status, milliseconds, cache_state)


class TimingMiddleware:
    """First in MIDDLEWARE, so that it times all the others too. It does no database or cache work of its own.
    (A page served by the page cache's WSGI layer, before Django, is timed there with record_time() too.)"""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        return record_time(request, self.get_response(request), started)
