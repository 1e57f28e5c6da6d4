"""The stories endpoints: a thin viewset over stories/selectors.py, behind the API's keys, limit and page cache."""

from django.http import Http404
from rest_framework import viewsets
from rest_framework.exceptions import NotFound

from articles.api.serializers import ArticleSerializer
from stories import selectors

from .filters import StoryFilterSet
from .pagination import StoryPagination
from .serializers import StoryDetailSerializer, StorySerializer


class StoryViewSet(viewsets.ReadOnlyModelViewSet):
    """Stories: each event once, with how many publishers tell it; top stories first."""

    page_cached = True
    filterset_class = StoryFilterSet
    pagination_class = StoryPagination

    def get_queryset(self):
        return selectors.story_list()

    def get_serializer_class(self):
        return StoryDetailSerializer if self.action == "retrieve" else StorySerializer

    def get_object(self):
        try:
            story = super().get_object()
        except Http404:
            raise NotFound(f"There is no story with the id {self.kwargs['pk']!r}.") from None
        story.article_list = selectors.story_articles(story, fields=ArticleSerializer.shown_fields)
        return story
