"""
The upstreams by name: what the ingest needs of each, and the `--source` choices.

Each upstream module holds its client and its normaliser; the registry says which settings
hold its key and its daily budget. They are read when asked for, not at import, so that a
test that overrides a setting is heard.
"""

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from django.conf import settings

from . import guardian, newsapi
from .base import UpstreamClient
from .items import Page


@dataclass(frozen=True)
class Upstream:
    source: str
    label: str
    key_setting: str
    daily_requests_setting: str
    precedence: int  # whose copy of an article that two upstreams carry is kept: the higher's
    client_factory: Callable[..., UpstreamClient]  # (key=, key_setting=, requests_allowed=)
    fetch_pages: Callable[..., Iterator[Page]]  # (client, category=, since=, max_pages=), newest first

    @property
    def key(self):
        return getattr(settings, self.key_setting)

    @property
    def daily_requests(self):
        return getattr(settings, self.daily_requests_setting)

    def make_client(self, *, requests_allowed, before_request=None):
        """A client for one run, which may send at most `requests_allowed` requests, calling
        `before_request(number)` before it sends each."""
        return self.client_factory(
            key=self.key, key_setting=self.key_setting, requests_allowed=requests_allowed, before_request=before_request
        )


UPSTREAMS = {
    upstream.source: upstream
    for upstream in [
        Upstream(
            source=newsapi.SOURCE,
            label=newsapi.LABEL,
            key_setting="NEWSAPI_KEY",
            daily_requests_setting="NEWSAPI_DAILY_REQUESTS",
            precedence=1,
            client_factory=newsapi.make_client,
            fetch_pages=newsapi.fetch_pages,
        ),
        Upstream(
            source=guardian.SOURCE,
            label=guardian.LABEL,
            key_setting="GUARDIAN_API_KEY",
            daily_requests_setting="GUARDIAN_DAILY_REQUESTS",
            precedence=2,  # the Guardian's own stories, with its id and section, over NewsAPI's copies
            client_factory=guardian.make_client,
            fetch_pages=guardian.fetch_pages,
        ),
    ]
}


# Feeds (the feeds app) are no upstream of this registry, but their articles meet the others': a story that an
# upstream's API carries too is kept from the API, whose copy has the richer fields.
FEEDS_PRECEDENCE = 0


def precedence(source):
    """Whose copy of an article that two sources carry is kept: the higher's."""
    upstream = UPSTREAMS.get(source)
    return upstream.precedence if upstream else FEEDS_PRECEDENCE
