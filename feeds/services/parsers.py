"""
Where a crawl parses its feeds. feedparser is pure Python: in the crawler's threads it parsed under the one GIL
that the fetching threads and the storing thread need too, and it was most of a first run's time
(docs/BENCHMARKS.md, "Feeds"). A run of at least POOL_FROM feeds parses in FEEDS_PARSE_PROCESSES processes of
its own instead, spawned for the run (fresh interpreters: none of the crawl's threads, locks or database
connections is inherited) and ended with it; a smaller run, or FEEDS_PARSE_PROCESSES=0, parses in its threads.

A parsing process that dies (the OOM killer, a crash) fails the feeds it had in hand, as NotAFeed saying so;
a new pool takes the others (after MAX_RESTARTS, the run's threads do).
"""

import logging
import multiprocessing
import threading
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager

import django
from django.conf import settings

from .parsing import NotAFeed, parse_feed

logger = logging.getLogger(__name__)

POOL_FROM = 50  # feeds in a run: under it, starting the processes would cost more than they save
MAX_RESTARTS = 3  # pools replaced in a run; past it, its threads parse


@contextmanager
def feed_parser(feeds):
    """parse(body, content_type=, url=), as parsing.parse_feed, for a run of `feeds` feeds."""
    processes = settings.FEEDS_PARSE_PROCESSES
    if not processes or feeds < POOL_FROM:
        yield parse_feed
        return
    logger.info("parsing %s feeds in %s processes", feeds, processes)
    pool = _Pool(processes)
    try:
        yield pool.parse
    finally:
        pool.close()


class _Pool:
    def __init__(self, processes):
        self.processes = processes
        self.lock = threading.Lock()
        self.restarts = 0
        self.executor = self._start()

    def _start(self):
        # django.setup: the parser's imports (articles.upstreams) import models.
        context = multiprocessing.get_context("spawn")
        return ProcessPoolExecutor(self.processes, mp_context=context, initializer=django.setup)

    def parse(self, body, **kwargs):
        executor = self.executor
        if executor is None:
            return parse_feed(body, **kwargs)
        try:
            return executor.submit(parse_feed, body, **kwargs).result()
        except BrokenProcessPool:
            self._replace(executor)
            raise NotAFeed("its parsing process died (out of memory?)") from None

    def _replace(self, broken):
        with self.lock:
            if self.executor is not broken:  # another thread found it broken first
                return
            broken.shutdown(wait=False)
            self.restarts += 1
            if self.restarts > MAX_RESTARTS:  # not one feed's doing: they cannot start
                logger.error("feed-parsing processes died %s times; the run parses in threads", self.restarts)
                self.executor = None
            else:
                logger.warning("a feed-parsing process died; starting others")
                self.executor = self._start()

    def close(self):
        if self.executor is not None:
            self.executor.shutdown(wait=False, cancel_futures=True)
