"""WSGI entry point: gunicorn serves `newsproject.wsgi:application`, Django's, behind the API's fast path for
cached pages (settings.WSGI_HIT_PATH), its database connections under DATABASE_STATEMENT_TIMEOUT."""

import os

from django.conf import settings
from django.core.wsgi import get_wsgi_application
from django.utils.module_loading import import_string

from .statement_timeout import StatementTimeoutApplication

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsproject.settings")

application = get_wsgi_application()
if getattr(settings, "WSGI_HIT_PATH", None):
    application = import_string(settings.WSGI_HIT_PATH)(application)
application = StatementTimeoutApplication(application)
