"""
The few cache operations the API needs on every request, in one round trip to Redis.

The API's hot path asks the cache several things at once (is this key good, how many
requests has it made in this window, is the page stored), so on Redis they go in one
pipeline; Django's cache API would make a round trip each. Without Redis (a laptop's
default) the same operations run on Django's local-memory cache.

Redis is optional to the API's answers: when it fails, every operation raises
CacheUnavailable, the caller answers from the database, and for the next few seconds no
request waits on Redis's timeouts again.
"""

import logging
import time
from functools import cache as once

from django.conf import settings
from django.core.cache import cache
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 5


class CacheUnavailable(Exception):
    pass


class LocalStore:
    """This process's memory, through Django's cache API: for one process, as `make run` serves."""

    backend = "local memory"

    def __init__(self):
        self.page_names = set()

    def exchange(self, gets, increments):
        """The values of `gets` (None where absent) and the counts after each (name, ttl) in `increments`."""
        values = cache.get_many(gets)
        return [values.get(name) for name in gets], [self.increment(name, ttl=ttl) for name, ttl in increments]

    def get(self, name):
        return cache.get(name)

    def set(self, name, value, ttl=None):
        if name.startswith("page:"):
            self.page_names.add(name)
        cache.set(name, value, ttl)

    def add(self, name, value, ttl):
        return cache.add(name, value, ttl)

    def delete(self, name):
        cache.delete(name)

    def increment(self, name, amount=1, ttl=None):
        cache.add(name, 0, ttl)
        return cache.incr(name, amount)

    def count_pages(self):
        self.page_names = {name for name in self.page_names if cache.has_key(name)}
        return len(self.page_names)


class RedisStore:
    """Redis through django-redis's connection pool and KEY_PREFIX, as raw commands."""

    backend = "redis"

    def __init__(self):
        self.retry_at = 0.0

    def exchange(self, gets, increments):
        def commands(pipeline):
            for name in gets:
                pipeline.get(self.key(name))
            for name, ttl in increments:
                pipeline.incr(self.key(name))
                if ttl is not None:
                    pipeline.expire(self.key(name), ttl)

        replies = self.pipelined(commands)
        values, counts = replies[: len(gets)], replies[len(gets) :]
        return values, [reply for reply in counts if not isinstance(reply, bool)]  # EXPIRE answers True

    def get(self, name):
        return self.run(lambda client: client.get(self.key(name)))

    def set(self, name, value, ttl=None):
        self.run(lambda client: client.set(self.key(name), value, ex=ttl))

    def add(self, name, value, ttl):
        return bool(self.run(lambda client: client.set(self.key(name), value, ex=ttl, nx=True)))

    def delete(self, name):
        self.run(lambda client: client.delete(self.key(name)))

    def increment(self, name, amount=1, ttl=None):
        def commands(pipeline):
            pipeline.incrby(self.key(name), amount)
            if ttl is not None:
                pipeline.expire(self.key(name), ttl)

        return self.pipelined(commands)[0]

    def count_pages(self):
        return self.run(lambda client: sum(1 for _ in client.scan_iter(self.key("page:*"), 1000)))

    def key(self, name):
        return cache.make_key(name)

    def pipelined(self, commands):
        def operation(client):
            pipeline = client.pipeline(transaction=False)
            commands(pipeline)
            return pipeline.execute()

        return self.run(operation)

    def run(self, operation):
        """operation(client)'s result, or CacheUnavailable."""
        if time.monotonic() < self.retry_at:
            raise CacheUnavailable
        try:
            return operation(cache.client.get_client(write=True))
        except RedisError as exc:
            self.retry_at = time.monotonic() + RETRY_AFTER_SECONDS
            logger.warning(
                "Redis is unavailable (%s: %s): the API answers from the database, without its page cache "
                "or its rate limit, and tries Redis again in %d s.",
                type(exc).__name__,
                exc,
                RETRY_AFTER_SECONDS,
            )
            raise CacheUnavailable from exc


@once
def store():
    return RedisStore() if settings.REDIS_URL else LocalStore()
