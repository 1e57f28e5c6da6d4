from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularJSONAPIView, SpectacularSwaggerView

from . import health
from .api import schema  # noqa: F401 (registers the API key schemes with drf-spectacular)
from .api.views import CacheStatsApi

urlpatterns = [
    path("api/", include("articles.urls")),
    path("api/cache/stats/", CacheStatsApi.as_view(), name="cache-stats"),
    path(
        "api/schema/", SpectacularJSONAPIView.as_view(authentication_classes=[], permission_classes=[]), name="schema"
    ),
    path(
        "api/docs/",
        SpectacularSwaggerView.as_view(url_name="schema", authentication_classes=[], permission_classes=[]),
        name="docs",
    ),
    path("health/", health.live, name="health"),
    path("health/ready/", health.ready, name="health-ready"),
    path("admin/", admin.site.urls),
]

if settings.SILK_ENABLED:
    urlpatterns.append(path("silk/", include("silk.urls", namespace="silk")))

handler400 = "newsproject.api.errors.bad_request"
handler403 = "newsproject.api.errors.permission_denied"
handler404 = "newsproject.api.errors.not_found"
handler500 = "newsproject.api.errors.server_error"
