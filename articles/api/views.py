"""The read endpoints: thin viewsets over articles/selectors.py. `page_cached` puts one behind the page cache."""

from django.http import Http404
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers, status, viewsets
from rest_framework.exceptions import APIException, NotFound
from rest_framework.response import Response
from rest_framework.views import APIView

from articles import selectors

from .cachestore import CacheUnavailable
from .filters import ArticleFilterSet
from .pagecache import cache_stats
from .pagination import ArticlePagination
from .parameters import check_known_parameters
from .serializers import ArticleSerializer, CategoryCountSerializer, SourceCountSerializer


@extend_schema_view(
    retrieve=extend_schema(description="One article by its id; it takes no query parameters. An unknown id is a 404.")
)
class ArticleViewSet(viewsets.ReadOnlyModelViewSet):
    """Articles, newest first: filter by category, source, dates; search with q."""

    page_cached = True
    serializer_class = ArticleSerializer
    filterset_class = ArticleFilterSet
    pagination_class = ArticlePagination

    def get_queryset(self):
        return selectors.article_list(fields=ArticleSerializer.shown_fields)

    def get_object(self):
        try:
            return super().get_object()
        except Http404:
            raise NotFound(f"There is no article with the id {self.kwargs['pk']!r}.") from None


# A list of counts from `counts()`, which takes no parameters and is not paged. Its dicts are the answer as they are:
# the serializer declares them for the schema, and running it would cost more than reading the kept counts
# (docs/BENCHMARKS.md). (A comment, not a docstring: the schema would show a docstring to clients as the
# operation's description.)
class CountListViewSet(viewsets.GenericViewSet):
    page_cached = True
    pagination_class = None
    filter_backends = []

    def list(self, request):
        check_known_parameters(request, known=())
        return Response(self.counts())


class SourceViewSet(CountListViewSet):
    serializer_class = SourceCountSerializer
    counts = staticmethod(selectors.source_counts)


class CategoryViewSet(CountListViewSet):
    serializer_class = CategoryCountSerializer
    counts = staticmethod(selectors.category_counts)


class CacheUnavailableError(APIException):
    status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    default_detail = "The cache is unavailable: the API answers from the database meanwhile."


class CacheStatsSerializer(serializers.Serializer):
    backend = serializers.ChoiceField(choices=["redis", "local memory"])
    ttl_seconds = serializers.IntegerField()
    hits = serializers.IntegerField()
    misses = serializers.IntegerField()
    hit_rate_percent = serializers.FloatField(allow_null=True, help_text="null until the first lookup")
    keys = serializers.IntegerField(help_text="pages stored now")


class CacheStatsApi(APIView):
    """The page cache's hits and misses, counted by this application (not Redis's server-wide counters)."""

    @extend_schema(responses=CacheStatsSerializer)
    def get(self, request):
        check_known_parameters(request, known=())
        try:
            return Response(CacheStatsSerializer(cache_stats()).data)
        except CacheUnavailable:
            raise CacheUnavailableError from None
