"""Every address under /api/: the read endpoints through a DRF router, the cache's stats, the schema and its docs."""

from django.urls import path
from drf_spectacular.views import SpectacularJSONAPIView, SpectacularSwaggerView
from rest_framework.routers import SimpleRouter

from newsproject.http import get_only

from . import schema  # noqa: F401 (registers the API key schemes with drf-spectacular)
from .views import ArticleViewSet, CacheStatsApi, CategoryViewSet, SourceViewSet

router = SimpleRouter()
router.register("articles", ArticleViewSet, basename="article")
router.register("sources", SourceViewSet, basename="source")
router.register("categories", CategoryViewSet, basename="category")

open_to_all = {"authentication_classes": [], "permission_classes": []}

urlpatterns = [
    *router.urls,
    path("cache/stats/", CacheStatsApi.as_view(), name="cache-stats"),
    path("schema/", SpectacularJSONAPIView.as_view(**open_to_all), name="schema"),
    # A page for browsers: other methods get a JSON 405, not DRF's metadata rendered by the HTML docs renderer.
    path("docs/", get_only(SpectacularSwaggerView.as_view(url_name="schema", **open_to_all)), name="docs"),
]
