"""`GET /api/feeds/`: every feed with its state and article count, paged as the articles are."""

from rest_framework import generics

from articles.api.parameters import check_known_parameters
from feeds import selectors

from .serializers import FeedSerializer


class FeedListApi(generics.ListAPIView):
    """Each subscribed feed: its title, site, category, crawl state and article count, by title."""

    serializer_class = FeedSerializer
    filter_backends = []

    def get_queryset(self):
        return selectors.feed_list()

    def list(self, request, *args, **kwargs):
        check_known_parameters(request, known=("limit", "offset"))
        return super().list(request, *args, **kwargs)
