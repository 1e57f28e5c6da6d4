"""The sandbox's feeds: validators honoured, and several publishers' hosts on one port."""

from datetime import timedelta
from io import StringIO

import requests
from django.core.management import call_command
from django.utils import timezone

from feeds.models import Feed
from feeds.services.parsing import parse_feed
from profiling.sandbox import Sandbox, SandboxConfig


def test_it_answers_304_to_its_own_etag(sandbox):
    url = f"{sandbox.base_url}/feeds/61.atom"
    first = requests.get(url, timeout=5)

    second = requests.get(url, headers={"If-None-Match": first.headers["ETag"]}, timeout=5)
    changed = requests.get(url, headers={"If-None-Match": '"another"'}, timeout=5)

    assert (first.status_code, second.status_code, second.content, changed.status_code) == (200, 304, b"", 200)


def test_it_serves_the_feeds_from_several_hosts_on_one_port():
    server = Sandbox(SandboxConfig(latency=0, feed_entries=1)).start()
    try:
        urls = server.serve_feed_hosts(3)
        answers = [requests.get(f"{url}/feeds/62.rss", timeout=5) for url in urls]
    finally:
        server.stop()

    assert urls[2] == f"http://127.0.1.3:{server.server.server_address[1]}"
    assert [answer.status_code for answer in answers] == [200, 200, 200]
    assert len(server.requests_to("feeds")) == 3


def test_its_demo_opml_subscribes_to_a_handful_of_its_feeds(sandbox, db, tmp_path):
    path = tmp_path / "demo.opml"
    path.write_bytes(requests.get(f"{sandbox.base_url}/feeds/demo.opml", timeout=5).content)

    call_command("import_opml", str(path), stdout=StringIO())

    assert Feed.objects.count() == 6
    assert Feed.objects.get(title="Harbour Gazette 1").url == f"{sandbox.base_url}/feeds/news/1.atom"
    assert Feed.objects.get(title="Harbour Gazette 1").category == "science"


def test_its_demo_feeds_report_the_upstreams_events_as_they_happen(sandbox):
    url = f"{sandbox.base_url}/feeds/news/1.atom"  # a science publisher
    answer = requests.get(url, timeout=5)

    parsed = parse_feed(answer.content, content_type=answer.headers["Content-Type"])

    assert parsed.title == "Harbour Gazette 1"
    assert len(parsed.entries) == 20
    newest = parsed.entries[0].published_at
    assert timedelta(0) <= timezone.now() - newest <= timedelta(seconds=sandbox.config.spacing)
    newest_index = sandbox.newest_index()
    newsapi = {sandbox.newsapi_story("science", index)["title"] for index in range(newest_index - 19, newest_index + 1)}
    told_by_newsapi = [e for e in parsed.entries if any(title.startswith(e.title + " - ") for title in newsapi)]
    assert len(told_by_newsapi) >= 10  # the same events, but for NewsAPI's gaps (the Guardian's, [Removed])
    again = requests.get(url, headers={"If-None-Match": answer.headers["ETag"]}, timeout=5)
    assert again.status_code == 304
