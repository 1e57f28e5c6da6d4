"""Where time goes, on every response: `X-Process-Time`, `Server-Timing` and one log line."""

import logging
import time

logger = logging.getLogger("profiling.requests")


def record_time(request, response, started):
    """Put the time since `started` (a perf_counter()) on `response`, and log the request's line."""
    milliseconds = (time.perf_counter() - started) * 1000
    response["X-Process-Time"] = f"{milliseconds:.2f}ms"
    response["Server-Timing"] = f"app;dur={milliseconds:.2f}"
    logger.info(
        "%s %s %s %.2fms cache=%s",
        request.method,
        request.path,
        response.status_code,
        milliseconds,
        response.get("X-Cache", "-"),
    )
    return response


class TimingMiddleware:
    """First in MIDDLEWARE, so that it times all the others too. It does no database or cache work of its own.
    (A page served by the page cache's WSGI layer, before Django, is timed there with record_time() too.)"""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        return record_time(request, self.get_response(request), started)
