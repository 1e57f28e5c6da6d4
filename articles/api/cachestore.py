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

import functools
import logging
import time

from django.conf import settings
from django.core.cache import cache, caches
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

    def get_and_count(self, gets, counters):
        """The values of `gets` (None where absent), and each counter in `counters` (name, expires_at or None)
        incremented, as one round trip."""
        values = cache.get_many(gets)
        return [values.get(name) for name in gets], [self.increment(name, expires_at=at) for name, at in counters]

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

    def delete_if_equal(self, name, value):
        if cache.get(name) == value:
            cache.delete(name)

    def increment(self, name, amount=1, expires_at=None):
        cache.add(name, 0, None if expires_at is None else max(expires_at - time.time(), 1))
        return cache.incr(name, amount)

    def count_pages(self):
        self.page_names.difference_update([name for name in list(self.page_names) if not cache.has_key(name)])
        return len(self.page_names)


class RedisStore:
    """Redis through django-redis's connection pool and KEY_PREFIX, as raw commands."""

    backend = "redis"
    DELETE_IF_EQUAL = "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0"

    def __init__(self):
        self.retry_at = 0.0
        # Bound once: through the `cache` proxy, each call looked its backend up again (docs/BENCHMARKS.md).
        # Both are safe to share between threads: make_key is a pure function of the settings, and the client's
        # connection pool is shared by every thread in any case.
        backend = caches["default"]
        self.key = backend.make_key
        self.client = backend.client

    def get_and_count(self, gets, counters):
        """One round trip: MGET, then INCR and EXPIREAT for each counter. (A Lua script doing the same costs the
        client less, but Redis more, copying the page in and out of Lua.)"""
        commands = [("MGET", *map(self.key, gets))] if gets else []
        commands += [("INCR", self.key(name)) for name, _ in counters]
        commands += [("EXPIREAT", self.key(name), int(at) + 1) for name, at in counters if at is not None]
        replies = self.round_trip(commands)
        values = replies.pop(0) if gets else []
        return values, replies[: len(counters)]

    def get(self, name):
        return self.run(lambda client: client.get(self.key(name)))

    def set(self, name, value, ttl=None):
        self.run(lambda client: client.set(self.key(name), value, ex=ttl))

    def add(self, name, value, ttl):
        return bool(self.run(lambda client: client.set(self.key(name), value, ex=ttl, nx=True)))

    def delete(self, name):
        self.run(lambda client: client.delete(self.key(name)))

    def delete_if_equal(self, name, value):
        self.run(lambda client: client.eval(self.DELETE_IF_EQUAL, 1, self.key(name), value))

    def increment(self, name, amount=1, expires_at=None):
        commands = [("INCRBY", self.key(name), amount)]
        if expires_at is not None:
            commands.append(("EXPIREAT", self.key(name), int(expires_at) + 1))
        return self.round_trip(commands)[0]

    def count_pages(self):
        return self.run(lambda client: sum(1 for _ in client.scan_iter(self.key("page:*"), 1000)))

    def round_trip(self, commands):
        """The replies to `commands`, sent in one write on a connection of django-redis's pool and read back
        directly. Not through a redis-py Pipeline: this is every API request's round trip, and the Pipeline's
        machinery cost a third of its client time (docs/BENCHMARKS.md)."""

        def operation(client):
            pool = client.connection_pool
            connection = pool.get_connection()
            try:
                connection.send_packed_command(connection.pack_commands(commands))
                return [connection.read_response() for _ in commands]
            except BaseException:
                connection.disconnect()  # replies may be left unread on it: it must not be reused
                raise
            finally:
                pool.release(connection)

        return self.run(operation)

    def run(self, operation):
        """operation(client)'s result, or CacheUnavailable."""
        if time.monotonic() < self.retry_at:
            raise CacheUnavailable
        try:
            return operation(self.client.get_client(write=True))
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


@functools.cache
def store():
    return RedisStore() if settings.REDIS_URL else LocalStore()
