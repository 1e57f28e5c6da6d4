"""Health checks for load balancers and orchestrators: no API key, no cache, JSON."""

import logging

from django.core.cache import cache
from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache

from articles.services.runs import mark_interrupted_runs

from .http import get_only
from .text import first_line

logger = logging.getLogger(__name__)


@never_cache
@get_only
def live(request):
    """The process answers: nothing else is checked, so a database outage does not restart every server."""
    return JsonResponse({"status": "ok"})


@never_cache
@get_only
def ready(request):
    """Can this server answer API requests? 503 without the database; the cache only degrades it.

    It also marks the ingest runs whose process is gone as interrupted: probes come every few seconds,
    so a killed run says so long before the next run would notice."""
    checks = {"database": "ok", "cache": "ok"}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError as exc:
        # The reason goes to the log only: the error names hosts and users, and this answer is public.
        logger.warning("readiness: the database is unavailable: %s", first_line(exc))
        checks["database"] = "unavailable"
    else:
        mark_runs_interrupted()
    try:
        cache.set("health:ready", "ok", 10)
        if cache.get("health:ready") != "ok":
            checks["cache"] = "unavailable: a value written could not be read back"
    except Exception as exc:  # any backend's failure is the answer here
        checks["cache"] = f"unavailable: {type(exc).__name__}"
    if checks["database"] != "ok":
        return JsonResponse({"status": "unavailable", "checks": checks}, status=503)
    status = "ok" if checks["cache"] == "ok" else "degraded"
    return JsonResponse({"status": status, "checks": checks})


def mark_runs_interrupted():
    try:
        mark_interrupted_runs(found_by="a readiness check")
    except DatabaseError as exc:  # e.g. not migrated yet: the server can still answer what it can
        logger.debug("readiness: the ingest runs were not checked: %s", first_line(exc))
