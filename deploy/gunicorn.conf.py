"""gunicorn's settings, from the environment (README.md, "Serving with gunicorn").

Sync workers (gthread with GUNICORN_THREADS > 1), no preload: each worker opens its
own database connection after the fork. SIGTERM finishes the requests in flight
within GUNICORN_GRACEFUL_TIMEOUT seconds, then exits.
"""

import os

from newsproject.gunicorn_logging import MaskingLogger
from newsproject.text import whole_number as parse_whole_number


def whole_number(name, default, minimum=0):
    raw = os.environ.get(name, "").strip() or str(default)
    try:
        return parse_whole_number(raw, minimum=minimum)
    except ValueError as exc:
        raise SystemExit(f"Configuration error: {name} {exc}") from None


# This machine only, unless HOST says otherwise: sync workers belong behind a buffering proxy (README.md).
bind = f"{os.environ.get('HOST', '127.0.0.1')}:{whole_number('PORT', 8000, minimum=1)}"
workers = whole_number("GUNICORN_WORKERS", 3, minimum=1)
threads = whole_number("GUNICORN_THREADS", 1, minimum=1)
timeout = whole_number("GUNICORN_TIMEOUT", 30)
graceful_timeout = whole_number("GUNICORN_GRACEFUL_TIMEOUT", 25)
keepalive = whole_number("GUNICORN_KEEPALIVE", 5)
max_requests = whole_number("GUNICORN_MAX_REQUESTS", 0)  # 0: workers are never recycled
max_requests_jitter = max_requests // 10

wsgi_app = "newsproject.wsgi:application"
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-") or None  # "-": stdout; empty: none
# h: the peer (behind the proxy, the proxy); then the client the proxy saw (X-Forwarded-For, "-" without
# a proxy); M: the request's time in milliseconds.
access_log_format = '%(h)s %({x-forwarded-for}i)s "%(r)s" %(s)s %(b)s %(M)sms'
logger_class = MaskingLogger  # the Atom feed's token, in its URL, is logged as ***
errorlog = "-"
