"""
DATABASE_STATEMENT_TIMEOUT: PostgreSQL stops a query that the web server runs for longer, so that a slow one
ends as a 503 (articles/api/errors.py) well before gunicorn's worker timeout kills the worker.

It is set on each database connection opened while the WSGI application (newsproject/wsgi.py: gunicorn's and
runserver's) handles a request: such a connection serves requests only, for its whole life. The ingest, the
management commands and the migrations run in processes of their own, whose connections have no limit.
"""

from contextvars import ContextVar

from django.conf import settings
from django.db.backends.signals import connection_created

QUERY_CANCELED = "57014"  # PostgreSQL's SQLSTATE for a statement stopped by statement_timeout (or a cancel)
serving_request = ContextVar("serving_request", default=False)


class StatementTimeoutApplication:
    """Wraps the WSGI application: the connections it opens have the statement timeout."""

    def __init__(self, application):
        self.application = application

    def __call__(self, environ, start_response):
        token = serving_request.set(True)
        try:
            return self.application(environ, start_response)
        finally:
            serving_request.reset(token)


def limit_statements(sender, connection, **kwargs):
    milliseconds = round(settings.DATABASE_STATEMENT_TIMEOUT * 1000)
    if serving_request.get() and connection.vendor == "postgresql" and milliseconds:
        with connection.cursor() as cursor:
            cursor.execute("SELECT set_config('statement_timeout', %s, false)", [str(milliseconds)])


def is_statement_timeout(error):
    """Whether a database error is PostgreSQL stopping a query past the statement timeout."""
    return getattr(error.__cause__, "sqlstate", None) == QUERY_CANCELED


connection_created.connect(limit_statements, dispatch_uid="newsproject.statement_timeout")
