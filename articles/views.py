from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import viewsets
from rest_framework.exceptions import NotFound
from rest_framework.response import Response
from rest_framework.views import APIView

from newsproject.api.parameters import check_known_parameters

from . import selectors
from .filters import ArticleFilterSet
from .serializers import ArticleSerializer, CategoryCountSerializer, SourceCountSerializer


class ArticleViewSet(viewsets.ReadOnlyModelViewSet):
    """Articles, newest first: filter by category, source, dates; search with q."""

    serializer_class = ArticleSerializer
    filterset_class = ArticleFilterSet

    def get_queryset(self):
        return selectors.article_list()

    def get_object(self):
        try:
            return super().get_object()
        except Http404:
            raise NotFound(f"There is no article with the id {self.kwargs['pk']!r}.") from None


class SourceListApi(APIView):
    @extend_schema(responses=SourceCountSerializer(many=True))
    def get(self, request):
        check_known_parameters(request, known=())
        return Response(SourceCountSerializer(selectors.source_counts(), many=True).data)


class CategoryListApi(APIView):
    @extend_schema(responses=CategoryCountSerializer(many=True))
    def get(self, request):
        check_known_parameters(request, known=())
        return Response(CategoryCountSerializer(selectors.category_counts(), many=True).data)
