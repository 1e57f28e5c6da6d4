"""Every address under /api/: the read endpoints through a DRF router, the Atom feed, the cache's stats, the schema
and its docs."""

from django.urls import path, re_path
from django.views.decorators.csrf import csrf_exempt
from drf_spectacular.views import SpectacularJSONAPIView, SpectacularSwaggerView
from rest_framework.routers import SimpleRouter

from newsproject.http import get_only

from . import schema  # noqa: F401 (registers the API key schemes with drf-spectacular)
from .errors import not_found
from .feed import ArticleFeedApi
from .views import ArticleViewSet, CacheStatsApi, CategoryViewSet, SourceViewSet

router = SimpleRouter()
router.register("articles", ArticleViewSet, basename="article")
router.register("sources", SourceViewSet, basename="source")
router.register("categories", CategoryViewSet, basename="category")

open_to_all = {"authentication_classes": [], "permission_classes": []}


@csrf_exempt  # a POST to it is as unknown as a GET: a 404, not the CSRF check's 403
def unknown_address(request, rest):
    """An address under /api/ that names nothing: the API's JSON 404 with DEBUG on too, where Django would answer its
    HTML debug page. Only addresses ending in a slash, so that one without it is still redirected to it first."""
    return not_found(request, None)


urlpatterns = [
    path("articles/feed.atom", ArticleFeedApi.as_view(), name="article-feed"),
    *router.urls,
    path("cache/stats/", CacheStatsApi.as_view(), name="cache-stats"),
    path("schema/", SpectacularJSONAPIView.as_view(**open_to_all), name="schema"),
    # A page for browsers: other methods get a JSON 405, not DRF's metadata rendered by the HTML docs renderer.
    path("docs/", get_only(SpectacularSwaggerView.as_view(url_name="schema", **open_to_all)), name="docs"),
    re_path(r"^(?P<rest>.*/)$", unknown_address),  # last: whatever the others do not name
]
