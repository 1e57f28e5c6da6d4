"""A large crawl parses in processes of its own (feeds/services/parsers.py): the same articles, and a parsing
process that dies fails only the feeds it had in hand."""

import multiprocessing
import os
import signal
import threading
import time

from articles.models import Article
from feeds.models import Feed
from feeds.services.crawl import fetch_feeds
from feeds.services.parsers import POOL_FROM

KINDS = ("rss", "atom", "json")


def subscribe(make_feed, count=POOL_FROM):
    for number in range(count):
        make_feed(f"/feeds/{200 + number}.{KINDS[number % 3]}")


def test_a_large_run_parses_in_processes_and_stores_every_entry(make_feed, settings, caplog):
    settings.FEEDS_PARSE_PROCESSES = 2
    subscribe(make_feed)

    with caplog.at_level("INFO", logger="feeds.services.parsers"):
        result, counts = fetch_feeds()

    assert f"parsing {POOL_FROM} feeds in 2 processes" in caplog.messages
    assert (counts.fetched, counts.failed, result.created) == (POOL_FROM, 0, POOL_FROM * 5)
    assert Article.objects.filter(url="https://publisher201.example.com/4", source_name="Feed /feeds/201.atom").exists()


def kill_the_first_parsing_process(killed, earlier):
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if children := [child for child in multiprocessing.active_children() if child.pid not in earlier]:
            os.kill(children[0].pid, signal.SIGKILL)
            killed.set()
            return
        time.sleep(0.01)


def test_a_parsing_process_that_dies_fails_only_the_feeds_it_had(make_feed, settings):
    settings.FEEDS_PARSE_PROCESSES = 1
    subscribe(make_feed)
    killed = threading.Event()
    earlier = {child.pid for child in multiprocessing.active_children()}  # an earlier run's, ending
    killer = threading.Thread(target=kill_the_first_parsing_process, args=(killed, earlier))
    killer.start()

    result, counts = fetch_feeds()

    killer.join()
    assert killed.is_set()
    assert result.status == "ok"
    assert counts.failed >= 1
    assert counts.fetched + counts.failed == POOL_FROM
    assert set(Feed.objects.exclude(last_error="").values_list("last_error", flat=True)) == {
        "its parsing process died (out of memory?)."
    }
    assert Article.objects.count() == counts.fetched * 5
