"""The libraries' settings that no environment variable changes: settings.py imports them, and reads every
variable itself."""

from pathlib import Path

# settings.py adds silk's when SILK is on.
MIDDLEWARE = [
    "profiling.middleware.TimingMiddleware",
    # gzip for clients that take it (BREACH is no concern: no secret is in a body, keys travel in headers). A page
    # is stored plain and gzipped, so that the page cache's hits are answered compressed without compressing.
    "django.middleware.gzip.GZipMiddleware",
    # Before the page cache, so that a cached page gets its CORS headers, which depend on the request's Origin.
    "corsheaders.middleware.CorsMiddleware",
    # A cached page is answered here, before the rest (its stored headers include theirs).
    "articles.api.middleware.PageCacheMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",  # last, as django-axes asks: a refused admin login's page
]

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [Path(__file__).resolve().parent / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# The API's documentation (drf-spectacular).
SPECTACULAR_SETTINGS = {
    "TITLE": "News aggregator API",
    "DESCRIPTION": "Articles from NewsAPI and the Guardian. Send an API key as `Authorization: Bearer <key>` "
    "or `X-Api-Key: <key>`.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # The docs page loads Swagger UI from this service, never from a CDN: it works offline.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # drf-spectacular's own hook, then ours: a list parameter needs at least one value.
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "articles.api.schema.at_least_one_value",
    ],
}

# CORS (django-cors-headers): CORS_ALLOWED_ORIGINS in settings.py says who; this is what they may do. Reads only,
# with the headers a client acts on.
CORS_URLS_REGEX = r"^/api/"
CORS_ALLOW_METHODS = ["GET", "HEAD", "OPTIONS"]
CORS_ALLOW_HEADERS = ["authorization", "x-api-key", "if-none-match", "accept"]
CORS_EXPOSE_HEADERS = ["ETag", "Retry-After", "X-Cache", "RateLimit-Limit", "RateLimit-Remaining", "RateLimit-Reset"]
