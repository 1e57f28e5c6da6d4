"""The sandbox's feeds: validators honoured, and several publishers' hosts on one port."""

from io import StringIO

import requests
from django.core.management import call_command

from feeds.models import Feed
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
    assert Feed.objects.get(title="Publisher 1").url == f"{sandbox.base_url}/feeds/1.atom"
    assert Feed.objects.get(title="Publisher 1").category == "science"
