import pytest

from feeds.models import Feed


@pytest.fixture
def feed_sandbox(sandbox, settings):
    """The sandbox serving feeds of 5 entries; the crawler allowed to reach it on 127.0.0.1, quickly bounded."""
    settings.FEEDS_ALLOW_PRIVATE = True
    settings.FEEDS_TIMEOUT = 1.5
    settings.FEEDS_MAX_BYTES = 1_000_000
    settings.FEEDS_CONCURRENCY = 4
    sandbox.config.feed_entries = 5
    sandbox.config.slow_seconds = 4
    return sandbox


@pytest.fixture
def make_feed(db, feed_sandbox):
    """make_feed(path, **fields): a Feed at `path` of the sandbox."""

    def make(path, **fields):
        fields.setdefault("title", f"Feed {path}")
        return Feed.objects.create(url=feed_sandbox.base_url + path, **fields)

    return make
