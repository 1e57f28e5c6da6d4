"""Settings for the news service: the only module that reads the environment, through newsproject/env.py (which
also reads a `.env` file). README.md lists every variable with its default."""

from datetime import timedelta
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured
from django.core.management.utils import get_random_secret_key

from .env import (
    env_bool,
    env_database,
    env_float,
    env_http_url,
    env_int,
    env_list,
    env_rate,
    env_secret,
    env_text,
    read_env_file,
    url_scheme,
)
from .frameworks import (  # noqa: F401 (settings: Django reads them from this module)
    CORS_ALLOW_HEADERS,
    CORS_ALLOW_METHODS,
    CORS_EXPOSE_HEADERS,
    CORS_URLS_REGEX,
    MIDDLEWARE,
    SPECTACULAR_SETTINGS,
    TEMPLATES,
)
from .log_config import log_config

BASE_DIR = Path(__file__).resolve().parent.parent
ENV_FILE = read_env_file(BASE_DIR / ".env")


# Core

DEBUG = env_bool("DEBUG", False)

SECRET_KEY = env_secret("SECRET_KEY")  # or SECRET_KEY_FILE: compose.yaml's secrets service
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set: set it to a long random string "
            "(python -c 'import secrets; print(secrets.token_urlsafe(50))'), "
            "or set DEBUG=true for local development."
        )
    # Development only: a new key per process, never a known one.
    SECRET_KEY = get_random_secret_key()

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"])

INSTALLED_APPS = [
    "articles",  # before the admin: its admin/index.html (the dashboard) extends the admin's own
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "axes",
    "django_filters",
    "rest_framework",
    "rest_framework_api_key",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "corsheaders",
    "articles.api",
    "feeds",
    "profiling",
    "stories",
]

ROOT_URLCONF = "newsproject.urls"
WSGI_APPLICATION = "newsproject.wsgi.application"
# Wraps it: answers the API's cached pages before Django's handler (articles/api/wsgi.py).
WSGI_HIT_PATH = "articles.api.wsgi.PageCacheApplication"


LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
# WhiteNoise serves the admin's and the API docs' files from the apps themselves, with DEBUG on or off.
WHITENOISE_USE_FINDERS = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"


# Database: PostgreSQL from DATABASE_URL, or SQLite in a file beside manage.py

DATABASE_URL = env_text("DATABASE_URL")
DATABASE_CONN_MAX_AGE = env_int("DATABASE_CONN_MAX_AGE", 60, minimum=0)
# Seconds a query of the web server may run (0: no limit), below gunicorn's timeout (statement_timeout.py).
DATABASE_STATEMENT_TIMEOUT = env_float("DATABASE_STATEMENT_TIMEOUT", 10.0, minimum=0)
if DATABASE_URL:
    if url_scheme(DATABASE_URL) not in {"postgres", "postgresql", "sqlite"}:
        raise ImproperlyConfigured(
            f"DATABASE_URL must be a postgres://user@host:5432/name (or sqlite:///path) URL, not {DATABASE_URL!r}."
        )
    database = env_database("DATABASE_URL")
else:
    database = {"ENGINE": "django.db.backends.sqlite3", "NAME": BASE_DIR / "db.sqlite3"}

if database["ENGINE"] == "django.db.backends.postgresql":
    database["CONN_MAX_AGE"] = DATABASE_CONN_MAX_AGE
    database["CONN_HEALTH_CHECKS"] = True
    # A database that drops packets fails a request in seconds, not after the kernel's two minutes of retries.
    database["OPTIONS"] = {"connect_timeout": 5}
else:
    # The ingest writes while the server reads: WAL lets readers go on, and
    # IMMEDIATE transactions queue writers instead of failing with "locked".
    database["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
DATABASES = {"default": database}


# Cache: Redis from REDIS_URL, or this process's memory. CACHE_TTL is how long an
# API response is served from it (0: never); an ingest that changes articles ends it sooner.

CACHE_TTL = env_int("CACHE_TTL", 300, minimum=0, maximum=86_400)
REDIS_URL = env_text("REDIS_URL")
if REDIS_URL:
    if url_scheme(REDIS_URL) not in {"redis", "rediss", "unix"}:
        raise ImproperlyConfigured(f"REDIS_URL must be a redis://, rediss:// or unix:// URL, not {REDIS_URL!r}.")
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "news",
            # Short: a Redis that does not answer makes the API answer from the database, not wait.
            "OPTIONS": {"SOCKET_CONNECT_TIMEOUT": 0.5, "SOCKET_TIMEOUT": 0.5},
        }
    }
else:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "OPTIONS": {"MAX_ENTRIES": 10_000}}
    }


# Upstreams: NewsAPI and the Guardian's content API

NEWSAPI_KEY = env_text("NEWSAPI_KEY")
NEWSAPI_BASE_URL = env_http_url("NEWSAPI_BASE_URL", "https://newsapi.org")
NEWSAPI_DAILY_REQUESTS = env_int("NEWSAPI_DAILY_REQUESTS", 100, minimum=1)
# The free plan's last result: past it NewsAPI answers 426, so the ingest stops there. 0: no limit (paid plans).
NEWSAPI_MAX_RESULTS = env_int("NEWSAPI_MAX_RESULTS", 100, minimum=0)

GUARDIAN_API_KEY = env_text("GUARDIAN_API_KEY")
GUARDIAN_BASE_URL = env_http_url("GUARDIAN_BASE_URL", "https://content.guardianapis.com")
GUARDIAN_DAILY_REQUESTS = env_int("GUARDIAN_DAILY_REQUESTS", 500, minimum=1)
GUARDIAN_REQUESTS_PER_SECOND = env_float("GUARDIAN_REQUESTS_PER_SECOND", 1.0, minimum=0)
if 0 < GUARDIAN_REQUESTS_PER_SECOND < 0.001:
    raise ImproperlyConfigured("GUARDIAN_REQUESTS_PER_SECOND must be 0 (no pacing) or at least 0.001.")
# The documentation says at most 50; the server accepts 200, which costs a quarter of the requests.
GUARDIAN_PAGE_SIZE = env_int("GUARDIAN_PAGE_SIZE", 200, minimum=1, maximum=200)

# Seconds one request may wait for an answer, and one source for a whole run.
UPSTREAM_TIMEOUT = env_float("UPSTREAM_TIMEOUT", 10.0, minimum=0.1)
UPSTREAM_SOURCE_TIMEOUT = env_float("UPSTREAM_SOURCE_TIMEOUT", 300.0, minimum=1)
# Retries of a 429 or 5xx answer; the n-th waits Retry-After, or UPSTREAM_BACKOFF * 2^(n-1) seconds.
UPSTREAM_RETRIES = env_int("UPSTREAM_RETRIES", 3, minimum=0)
UPSTREAM_BACKOFF = env_float("UPSTREAM_BACKOFF", 1.0, minimum=0)


# Feeds: RSS, Atom and JSON Feed (the feeds app), fetched as a good crawler does

# Feeds fetched at once; at most one request at a time goes to any one host.
FEEDS_CONCURRENCY = env_int("FEEDS_CONCURRENCY", 16, minimum=1, maximum=256)
# Processes that parse a large run's feeds (feeds/services/parsers.py); 0: its threads parse them.
FEEDS_PARSE_PROCESSES = env_int("FEEDS_PARSE_PROCESSES", 2, minimum=0, maximum=64)
# Seconds between two fetches of a feed that answers; a failing one waits twice as long each time, at most a day.
FEEDS_INTERVAL = env_int("FEEDS_INTERVAL", 900, minimum=60)
# Seconds one feed may take, redirects and body included; the largest body and the most entries read from one.
FEEDS_TIMEOUT = env_float("FEEDS_TIMEOUT", 20.0, minimum=0.1)
FEEDS_MAX_BYTES = env_int("FEEDS_MAX_BYTES", 10 * 1024 * 1024, minimum=1024)
FEEDS_MAX_ENTRIES = env_int("FEEDS_MAX_ENTRIES", 100, minimum=1)
# Days a feed may fail without one success before it is disabled, with the reason.
FEEDS_DISABLE_AFTER_DAYS = env_int("FEEDS_DISABLE_AFTER_DAYS", 7, minimum=1)
# Loopback, private and link-local addresses are refused unless this is on (the sandbox and tests need it).
FEEDS_ALLOW_PRIVATE = env_bool("FEEDS_ALLOW_PRIVATE", False)
FEEDS_USER_AGENT = env_text(
    "FEEDS_USER_AGENT", "news-aggregator/1.0 (feed fetcher; +https://github.com/news-aggregator/news-aggregator)"
)


# Stories: an ingest groups each new article with the others reporting the same event (stories/)

STORIES_GROUPING = env_bool("STORIES_GROUPING", True)
# Hours either side of an article in which a story must have been updated to be a candidate for it.
STORIES_WINDOW_HOURS = env_int("STORIES_WINDOW_HOURS", 72, minimum=1, maximum=24 * 30)


# REST API: every endpoint needs an API key unless it says otherwise

API_RATE_LIMIT = env_rate("API_RATE_LIMIT", "600/min")
# Requests refused for a missing, unknown, revoked or expired key, per client address (an IPv6 client's /64).
API_AUTH_FAILURE_LIMIT = env_rate("API_AUTH_FAILURE_LIMIT", "60/min")
# How many proxies in front of the service append to X-Forwarded-For: the client's address is the one the
# outermost of them saw. 0 (no proxy) uses the connection's own address and ignores X-Forwarded-For.
NUM_PROXIES = env_int("NUM_PROXIES", 0, minimum=0, maximum=10)

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["articles.api.authentication.ApiKeyAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["articles.api.authentication.HasApiKey"],
    "DEFAULT_THROTTLE_CLASSES": ["articles.api.throttling.ApiKeyRateThrottle"],
    "DEFAULT_PAGINATION_CLASS": "articles.api.parameters.LimitOffsetPagination",
    "DEFAULT_FILTER_BACKENDS": ["articles.api.parameters.StrictFilterBackend"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_SCHEMA_CLASS": "articles.api.schema.ApiAutoSchema",
    "EXCEPTION_HANDLER": "articles.api.errors.exception_handler",
    "UNAUTHENTICATED_USER": None,
    "NUM_PROXIES": NUM_PROXIES,
}

# CORS (django-cors-headers): browser clients on these origins may call the API; none unless listed. A preflight
# OPTIONS is answered without a key. Writes are refused anyway (405), so only reads are allowed.
CORS_ALLOWED_ORIGINS = env_list("CORS_ALLOWED_ORIGINS", [])


# Profiling: django-silk at /silk/, for staff only, off unless SILK_ENABLED

SILK_ENABLED = env_bool("SILK_ENABLED", False)
SILK_INTERCEPT_PERCENT = env_float("SILK_INTERCEPT_PERCENT", 100.0, minimum=0, maximum=100)
SILK_MAX_RECORDED_REQUESTS = env_int("SILK_MAX_RECORDED_REQUESTS", 10_000, minimum=1)
LOGIN_URL = "/admin/login/"  # where silk sends a visitor who is not logged in
if SILK_ENABLED:
    from profiling.sampling import should_record

    INSTALLED_APPS.append("silk")
    MIDDLEWARE.insert(1, "silk.middleware.SilkyMiddleware")  # after the timing, before everything else
    SILKY_AUTHENTICATION = True
    SILKY_AUTHORISATION = True  # silk's default permission: staff users
    SILKY_INTERCEPT_FUNC = should_record  # health checks and static files never; the rest sampled
    SILKY_MAX_RECORDED_REQUESTS = SILK_MAX_RECORDED_REQUESTS
    SILKY_MAX_RECORDED_REQUESTS_CHECK_PERCENT = 10
    SILKY_MAX_REQUEST_BODY_SIZE = SILKY_MAX_RESPONSE_BODY_SIZE = 64 * 1024
    # Header names stored as "********": silk adds Authorization itself; X-Api-Key is this API's other way in.
    SILKY_SENSITIVE_KEYS = {"username", "api", "token", "key", "secret", "password", "signature", "x-api-key"}


# Admin logins: django-axes refuses logins past the limit before ModelBackend hashes a password (README)

AXES_FAILURE_LIMIT = ADMIN_LOGIN_FAILURE_LIMIT = env_int("ADMIN_LOGIN_FAILURE_LIMIT", 5, minimum=1, maximum=1000)
ADMIN_LOCKOUT_MINUTES = env_int("ADMIN_LOCKOUT_MINUTES", 15, minimum=1, maximum=10_080)
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "django.contrib.auth.backends.ModelBackend"]
AXES_COOLOFF_TIME = timedelta(minutes=ADMIN_LOCKOUT_MINUTES)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]  # together: nobody locks the admin out from elsewhere
AXES_CLIENT_IP_CALLABLE = "newsproject.admin_login.client_address"  # the API's client address, by NUM_PROXIES
AXES_LOCKOUT_CALLABLE = "newsproject.admin_login.locked_out"
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False  # a refused login is not recorded: a flood writes nothing
AXES_RESET_ON_SUCCESS = True


# HTTPS: on where TLS is terminated in front of the app (a proxy or an ingress)

HTTPS_ONLY = env_bool("HTTPS_ONLY", False)
if HTTPS_ONLY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = True
    SECURE_HSTS_SECONDS = 31536000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    # Joining the browsers' HSTS preload list is a separate, hard-to-undo decision.
    SILENCED_SYSTEM_CHECKS = ["security.W021"]


# Logging: one line per record on stderr, with upstream API keys masked

LOG_LEVEL = env_text("LOG_LEVEL", "INFO").upper()
if LOG_LEVEL not in {"DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"}:
    raise ImproperlyConfigured(f"LOG_LEVEL must be one of DEBUG, INFO, WARNING, ERROR, CRITICAL, not {LOG_LEVEL!r}.")

LOGGING = log_config(LOG_LEVEL)
