"""
Any filtered list of articles as an Atom feed, for feed readers, which cannot send headers:
`/api/articles/feed.atom?token=<feed token>&category=technology&q=election`.

The list's own filters, checked as the list checks them (ArticleFilterSet through
StrictFilterBackend: an unknown or bad parameter is the same 400), and `limit` (1 to 100,
default 50); the newest first unless `ordering` says otherwise. Written by Django's
syndication framework. A feed token stands for its API key (feedtokens.py): the request
counts against the key's rate limit, and a key revoked or expired makes its tokens fail
too. Errors are the API's JSON `{"detail": ...}` whatever the reader accepts: a feed
reader shows their status.
"""

import time
from dataclasses import dataclass

from django.contrib.syndication.views import Feed
from django.http import HttpResponse
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.http import urlencode
from drf_spectacular.utils import extend_schema
from rest_framework import authentication, exceptions, generics
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.renderers import JSONRenderer

from articles import selectors

from .authentication import TooManyFailures
from .feedtokens import feed_token_get
from .filters import ORDERINGS, ArticleFilterSet
from .keys import check_key_of, failures_wait
from .parameters import LimitOffsetPagination

# Not secrets: a parameter's name and two messages.
TOKEN = "token"  # noqa: S105
TOKEN_MISSING = "A feed token is required: add token=<feed token> to the address (README.md, 'Atom feeds')."  # noqa: S105
TOKEN_INVALID = "The feed token is unknown or revoked, or its API key is revoked or expired."  # noqa: S105
FEED_FIELDS = ("id", "url", "title", "description", "author", "source_name", "category", "published_at")


class FeedTokenAuthentication(authentication.BaseAuthentication):
    """The `token` parameter, for the feed only: never an API key, and good for nothing but reading feeds."""

    def authenticate(self, request):
        token = request.query_params.get(TOKEN, "").strip()
        if not token:
            raise exceptions.AuthenticationFailed(TOKEN_MISSING)
        if (wait := failures_wait(request, time.time())) is not None:  # made-up tokens cost no query past the limit
            raise TooManyFailures(wait)
        feed_token = feed_token_get(token)
        check = check_key_of(request, feed_token.api_key) if feed_token and not feed_token.revoked else None
        if check is None or check.client is None:
            raise exceptions.AuthenticationFailed(TOKEN_INVALID)
        return (None, check.client)

    def authenticate_header(self, request):
        return 'FeedToken realm="feed"'


class JsonWhateverAccepted(BaseContentNegotiation):
    """A feed reader accepts Atom, which the view writes itself; its errors are JSON all the same."""

    def select_parser(self, request, parsers):
        return parsers[0]

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type


class FeedLength(LimitOffsetPagination):
    """`limit` alone: a feed is the newest articles, not a page of them."""

    default_limit = 50

    def query_parameters(self):
        return (self.limit_query_param,)

    def parameter_checks(self):
        return (self.get_limit,)


@dataclass(frozen=True)
class FeedContent:
    articles: list
    filters: str  # the query string without the token
    request: object

    def url(self, path):
        return self.request.build_absolute_uri(path) + (f"?{self.filters}" if self.filters else "")


class ArticleAtomFeed(Feed):
    feed_type = Atom1Feed

    def title(self, obj):
        return f"News aggregator: {obj.filters.replace('&', ', ') or 'all articles'}"

    def link(self, obj):
        return obj.url(reverse("article-list"))  # the same list, as JSON

    def feed_url(self, obj):
        return obj.url(obj.request.path)  # without the token: the body names no secret

    def items(self, obj):
        return obj.articles

    def item_title(self, item):
        return item["title"]

    def item_description(self, item):
        return item["description"] or None

    def item_link(self, item):
        return item["url"]

    def item_pubdate(self, item):
        return item["published_at"]

    def item_author_name(self, item):
        return item["author"] or item["source_name"] or None

    def item_categories(self, item):
        return [item["category"]]


class ArticleFeedApi(generics.GenericAPIView):
    authentication_classes = [FeedTokenAuthentication]
    content_negotiation_class = JsonWhateverAccepted
    renderer_classes = [JSONRenderer]
    filterset_class = ArticleFilterSet
    pagination_class = FeedLength
    other_parameters = (TOKEN,)

    def get_queryset(self):
        return selectors.article_list(fields=FEED_FIELDS)

    @extend_schema(exclude=True)  # for feed readers, not generated clients: README.md, "Atom feeds"
    def get(self, request):
        articles = self.filter_queryset(self.get_queryset())
        if "ordering" not in request.query_params:
            articles = articles.order_by(*ORDERINGS["-published_at"])
        given = request.query_params.lists()
        filters = urlencode([(name, value) for name, values in given if name != TOKEN for value in values])
        content = FeedContent(list(articles[: self.paginator.get_limit(request)]), filters, request._request)
        feed = ArticleAtomFeed().get_feed(content, request._request)
        response = HttpResponse(content_type=feed.content_type)
        feed.write(response, "utf-8")
        return response
