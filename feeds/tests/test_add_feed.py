from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from feeds.models import Feed


def add_feed(*args):
    stdout = StringIO()
    call_command("add_feed", *args, stdout=stdout)
    return stdout.getvalue().strip()


def test_it_adds_a_feed_and_says_what_it_found(feed_sandbox, db):
    url = f"{feed_sandbox.base_url}/feeds/21.atom"

    said = add_feed(url, "--category", "science")

    feed = Feed.objects.get()
    assert said == (
        f"Added feed {feed.pk}, “Publisher 21” (Atom, 5 entries), at {url}, in science; "
        "its entries arrive with the next fetch_articles."
    )
    assert (feed.format, feed.site_url, feed.etag, feed.next_fetch_at) == (
        "atom",
        "https://publisher21.example.com/",
        "",
        None,
    )


def test_it_discovers_the_feed_a_page_names(feed_sandbox, db):
    page = f"{feed_sandbox.base_url}/feeds/site/22"

    said = add_feed(page, "--title", "Twenty-two")

    assert Feed.objects.get().url == f"{feed_sandbox.base_url}/feeds/22.rss"
    assert "“Twenty-two” (RSS, 5 entries)" in said
    assert f'found through <link rel="alternate"> on {page}' in said


@pytest.mark.parametrize(
    ("path", "reason"),
    [
        ("/feeds/fault/html", 'it is an HTML page that names no feed (no <link rel="alternate"> of type RSS'),
        ("/feeds/nothing-here", "HTTP 404."),
        ("/feeds/fault/gone", "HTTP 410 (Gone: the publisher removed it)."),
    ],
)
def test_it_says_in_one_sentence_why_not(feed_sandbox, db, path, reason):
    with pytest.raises(CommandError) as error:
        add_feed(feed_sandbox.base_url + path)

    assert str(error.value).startswith(f"Cannot add {feed_sandbox.base_url}{path}: {reason}")
    assert not Feed.objects.exists()


def test_it_refuses_a_feed_already_subscribed(feed_sandbox, db):
    add_feed(f"{feed_sandbox.base_url}/feeds/23.rss")

    with pytest.raises(CommandError, match="already subscribed"):
        add_feed(f"{feed_sandbox.base_url}/feeds/23.rss")


def test_it_refuses_a_private_address_unless_allowed(feed_sandbox, db, settings):
    settings.FEEDS_ALLOW_PRIVATE = False

    with pytest.raises(CommandError, match="non-public address"):
        add_feed(f"{feed_sandbox.base_url}/feeds/24.rss")
