from datetime import UTC, datetime

import pytest

from feeds.services.parsing import NotAFeed, parse_feed
from profiling.sandbox import feeds as sandbox_feeds


@pytest.mark.parametrize("kind", ["rss", "atom", "json"])
def test_it_reads_rss_atom_and_json_feed_alike(kind):
    body, content_type = sandbox_feeds.render(kind, 7, list(sandbox_feeds.entries(7, 3, 0)), "http://127.0.0.1:1")

    parsed = parse_feed(body, content_type=content_type)

    assert parsed.format == kind
    assert parsed.title == "Publisher 7"
    assert parsed.site_url == "https://publisher7.example.com/"
    first = parsed.entries[0]
    assert first.url == "https://publisher7.example.com/0"
    assert first.title == "Story 0 of publisher 7"
    assert first.description == "What happened in story 0 & why it matters."  # the HTML reduced to plain text
    assert first.published_at == datetime(2026, 11, 19, 23, 53, tzinfo=UTC)
    assert len(parsed.entries) == 3


def test_it_reads_json_feed_1_0_authors():
    body = b"""{"version": "https://jsonfeed.org/version/1", "title": "Old", "items": [
        {"id": "1", "url": "https://old.example.com/1", "content_text": "Text only", "author": {"name": "Ann"},
         "date_published": "2026-11-20T10:00:00+02:00"}]}"""

    entry = parse_feed(body).entries[0]

    assert (entry.title, entry.author, entry.published_at) == (
        "Text only",
        "Ann",
        datetime(2026, 11, 20, 8, 0, tzinfo=UTC),
    )


def test_it_does_not_expand_a_billion_laughs():
    parsed = parse_feed(sandbox_feeds.LAUGHS.encode())

    assert len(parsed.entries) == 1
    assert "lollol" not in parsed.entries[0].title
    assert len(parsed.title) < 100


def test_it_reads_what_it_can_of_a_malformed_feed():
    _, body, content_type, _ = sandbox_feeds.fault("bozo", None, "http://127.0.0.1:1")

    parsed = parse_feed(body, content_type=content_type)

    assert parsed.malformed
    assert [entry.title for entry in parsed.entries] == [f"Story {n} of publisher 9996" for n in range(4)]


def test_it_refuses_an_html_page():
    with pytest.raises(NotAFeed, match="an HTML page, not a feed"):
        parse_feed(b"<!doctype html><html><body>Hello</body></html>", content_type="text/html")


def test_it_refuses_json_that_is_no_json_feed():
    with pytest.raises(NotAFeed, match="not a JSON Feed"):
        parse_feed(b'{"status": "ok"}', content_type="application/json")


def test_it_skips_an_entry_without_a_link():
    body = b'<rss version="2.0"><channel><title>T</title><item><title>No link</title></item></channel></rss>'

    parsed = parse_feed(body)

    assert (parsed.entries, parsed.skipped) == ([], 1)
