"""The sandbox's feeds: validators honoured, and several publishers' hosts on one port."""

import requests

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
