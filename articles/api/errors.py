"""
Every error is JSON: `{"detail": "<one sentence>"}`, with `"errors": {parameter:
[messages]}` added for a 400; DRF's errors through `exception_handler`, Django's
own 400, 403, 404 and 500 through the handlers named in newsproject/urls.py. The admin, a web
site, keeps Django's HTML pages.
"""

import logging

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import JsonResponse
from django.views import defaults
from rest_framework import exceptions
from rest_framework.exceptions import ValidationError
from rest_framework.views import exception_handler as drf_exception_handler

from newsproject.statement_timeout import is_statement_timeout
from newsproject.text import first_line

from .authentication import KEY_MISSING, TooManyFailures
from .keys import count_failure

logger = logging.getLogger(__name__)


class DatabaseUnavailable(exceptions.APIException):
    status_code = 503
    default_detail = "The database is unavailable: try again in a few seconds."
    RETRY_AFTER_SECONDS = 10


class QueryTooSlow(DatabaseUnavailable):
    """A query stopped by DATABASE_STATEMENT_TIMEOUT: the server is fine, this request asked too much of it."""

    def __init__(self):
        seconds = f"{settings.DATABASE_STATEMENT_TIMEOUT:g}"
        super().__init__(
            f"The database took longer than the {seconds} s this API allows for one query, and stopped it: try again "
            "in a few seconds, or ask for less (a narrower filter, a cursor rather than a deep offset)."
        )


def exception_handler(exc, context):
    if isinstance(exc, OperationalError) and is_statement_timeout(exc):
        request = context["request"]
        logger.warning(
            "The API answered 503: a query ran past DATABASE_STATEMENT_TIMEOUT (%g s): %s %s",
            settings.DATABASE_STATEMENT_TIMEOUT,
            request.method,
            request.get_full_path(),
        )
        exc = QueryTooSlow()
    elif isinstance(exc, OperationalError | InterfaceError):  # cannot connect, or lost the connection
        logger.warning("The API answered 503: the database is unavailable: %s", first_line(exc))
        exc = DatabaseUnavailable()
    refused = isinstance(exc, exceptions.NotAuthenticated | exceptions.AuthenticationFailed | TooManyFailures)
    if refused and (wait := count_failure(context["request"])) is not None:
        exc = TooManyFailures(wait)
    response = drf_exception_handler(exc, context)
    if isinstance(exc, DatabaseUnavailable):
        response["Retry-After"] = str(DatabaseUnavailable.RETRY_AFTER_SECONDS)
    if isinstance(exc, QueryTooSlow):  # the page cache keeps it: the same question would be as slow at once
        response.stored_for = DatabaseUnavailable.RETRY_AFTER_SECONDS
    if response is None:
        return None  # not an API error: Django's 500 handler (server_error below) answers
    if isinstance(exc, ValidationError) and isinstance(response.data, dict):
        names = ", ".join(response.data)
        noun = "parameter" if len(response.data) == 1 else "parameters"
        response.data = {"detail": f"Invalid query {noun}: {names}.", "errors": response.data}
    elif isinstance(exc, exceptions.NotAuthenticated):
        response.data = {"detail": KEY_MISSING}
    else:
        # DRF's own detail: it has turned Django's Http404 and PermissionDenied into sentences already.
        detail = response.data.get("detail") if isinstance(response.data, dict) else None
        response.data = {"detail": str(detail or getattr(exc, "detail", "") or exc)}
    if refused:
        response._has_been_logged = True  # keys.count_failure logs a line per client and window, not per request
    return response


def bad_request(request, exception):
    if _is_admin(request):
        return defaults.bad_request(request, exception)
    return _json_error(
        400, "Bad request: it could not be understood (is the Host header one this service answers to?)."
    )


def permission_denied(request, exception):
    if _is_admin(request):
        return defaults.permission_denied(request, exception)
    return _json_error(403, "Forbidden.")


def not_found(request, exception):
    if _is_admin(request):
        return defaults.page_not_found(request, exception)
    return _json_error(404, "Not found: there is nothing at this address.")


def server_error(request):
    if _is_admin(request):
        return defaults.server_error(request)
    return _json_error(500, "Server error: the request could not be answered. It has been logged.")


def _is_admin(request):
    return request.path.startswith("/admin/")


def _json_error(status, detail):
    return JsonResponse({"detail": detail}, status=status)
