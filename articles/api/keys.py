"""
The one path by which a request's API key is checked and the request counted against its limit.

`check_request()` answers both in one round trip to the cache, and can fetch more in the
same round trip (the page cache asks for its page there). It runs once per request: the
page cache calls it first, on the GETs it may answer; DRF's authentication and throttle
classes call it again and get the same answer, kept in the request's META (the WSGI
environ, which the page cache's WSGI layer and Django's request share).

A good key's state (known, not revoked, its expiry) is remembered in the cache for a
minute, under the key's hash, so that most requests need no database query. Saving or
deleting a key marks it for a minute as to be checked in the database, and not
remembered: a request that read the key before the change cannot remember it as it was.

Requests refused for a missing or bad key are counted per client address
(API_AUTH_FAILURE_LIMIT): past the limit, a key that would need the database is refused
with a 429 without asking it, so that made-up keys cannot cost a query each.
"""

import functools
import ipaddress
import logging
import math
import time
from contextlib import suppress
from dataclasses import dataclass

from django.conf import settings
from django.db import DatabaseError
from rest_framework.throttling import BaseThrottle, SimpleRateThrottle
from rest_framework_api_key.models import APIKey

from .cachestore import CacheUnavailable, store

logger = logging.getLogger(__name__)

KEY_STATE_SECONDS = 60
NEVER = "never"  # a remembered key's expiry when it has none
RECHECK = "recheck"  # a key changed lately: check it in the database, do not remember it
CHECKED = "news.api_key_check"  # where a request's RequestCheck is kept: its META, the WSGI environ itself


@dataclass(frozen=True)
class ClientKey:
    """A good API key, as `request.auth`: its hash and expiry, never the key itself."""

    hashed_key: str
    expires_at: float | None

    def has_expired(self, now):
        return self.expires_at is not None and self.expires_at <= now


@dataclass(frozen=True)
class RequestCheck:
    """A request's key (`client`: None when it is not a good one), whether it is within its limit, how long to wait
    when it is not, and the values fetched with them (`fetched`). A request refused without a good key and not
    `allowed` comes from an address past API_AUTH_FAILURE_LIMIT: its key was not looked up."""

    client: ClientKey | None
    allowed: bool
    wait: float
    fetched: tuple = ()
    window: "RateWindow | None" = None  # a good key's: where its count stands, for the RateLimit headers
    count: int = 0

    def rate_limit_headers(self):
        """The IETF draft's RateLimit-Limit, -Remaining and -Reset (seconds) of a good key's window; none else."""
        if self.client is None or self.window is None:
            return []
        reset = max(1, math.ceil(self.window.ends_at - time.time()))
        remaining = max(0, self.window.limit - self.count)
        limit = self.window.limit
        return [
            ("RateLimit-Limit", str(limit)),
            ("RateLimit-Remaining", str(remaining)),
            ("RateLimit-Reset", str(reset)),
        ]


@dataclass(frozen=True)
class RateWindow:
    """This moment's fixed window of a limit (by default API_RATE_LIMIT's, per key): one counter per
    key or client address and window, ending with it."""

    limit: int
    seconds: int
    number: int
    now: float

    @classmethod
    def current(cls, now, rate=None):
        limit, seconds = parsed_rate(rate or settings.API_RATE_LIMIT)
        return cls(limit, seconds, int(now // seconds), now)

    @property
    def ends_at(self):
        return (self.number + 1) * self.seconds

    def counter_name(self, hashed_key):
        return f"rate:{hashed_key[-32:]}:{self.number}"

    def failures_name(self, address):
        return f"authfail:{address}:{self.number}"


@functools.cache
def parsed_rate(rate):
    """API_RATE_LIMIT ("600/min") as (requests, seconds), read as DRF reads its throttle rates."""
    return SimpleRateThrottle.parse_rate(None, rate)


def client_address(request):
    """The client's address as DRF's throttles read it (X-Forwarded-For through NUM_PROXIES proxies, else the
    connection's); an IPv6 client's /64, which is one machine's share, not one address of it."""
    ident = BaseThrottle().get_ident(request)
    try:
        address = ipaddress.ip_address(ident)
    except ValueError:
        return ident
    return str(ipaddress.ip_network(f"{address}/64", strict=False)) if address.version == 6 else str(address)


def key_from_request(request):
    scheme, _, credentials = request.META.get("HTTP_AUTHORIZATION", "").partition(" ")
    if scheme.lower() == "bearer" and credentials.strip():
        return credentials.strip()
    return request.META.get("HTTP_X_API_KEY", "").strip() or None


def hashed(key):
    """What djangorestframework-api-key stores for `key`."""
    return APIKey.objects.key_generator.hash(key)


def key_state_name(hashed_key):
    return f"apikey:{hashed_key}"


def check_request(request, *, also_get=(), also_count=()):
    """The request's RequestCheck, or None when it carries no key. The first call per request checks the key and
    counts the request, with `also_get` (names whose values come back in `fetched`) and `also_count` (counters
    incremented) in the same round trip; later calls return the same answer and fetch nothing more.

    Without the cache, the key is checked in the database, and there is no limit (it fails open)."""
    if CHECKED in request.META:
        if isinstance(done := request.META[CHECKED], DatabaseError):
            raise done  # the request is counted already: asked again, it fails the same way, not counted twice
        return done
    key = key_from_request(request)
    if key is None:
        request.META[CHECKED] = None
        return None
    now = time.time()
    hashed_key = hashed(key)
    window = RateWindow.current(now)
    counter = window.counter_name(hashed_key)
    try:
        (state, *fetched), counts = store().get_and_count(
            [key_state_name(hashed_key), *also_get], [(counter, window.ends_at), *((name, None) for name in also_count)]
        )
    except CacheUnavailable:
        (state, *fetched), counts = [RECHECK, *(None for _ in also_get)], [1]
    state = state.decode() if isinstance(state, bytes) else state
    # Only a key the database would have to judge is asked about: a remembered good one costs no query to protect.
    if state in (None, RECHECK) and (wait := failures_wait(request, now)) is not None:
        with suppress(CacheUnavailable):
            store().delete(counter)
        request.META[CHECKED] = RequestCheck(None, False, wait, tuple(fetched))
        return request.META[CHECKED]
    try:
        client = client_for(key, hashed_key, state, now)
    except DatabaseError as exc:
        request.META[CHECKED] = exc
        raise
    if client is None:
        with suppress(CacheUnavailable):
            store().delete(counter)  # a made-up key leaves no counter behind
    request.META[CHECKED] = counted(client, window, counts[0], now, tuple(fetched))
    return request.META[CHECKED]


def counted(client, window, count, now, fetched=()):
    """The RequestCheck of `client`'s request, the `count`-th in its `window`."""
    allowed = count <= window.limit
    return RequestCheck(client, allowed, 0 if allowed else window.ends_at - now, fetched, window, count)


def check_key_of(request, api_key):
    """The RequestCheck of a request that a credential of `api_key`'s own has authenticated (a feed token): the key
    judged as check_request judges it, the request counted against the key's limit as its other requests are."""
    now = time.time()
    expires_at = api_key.expiry_date.timestamp() if api_key.expiry_date else None
    client = ClientKey(api_key.hashed_key, expires_at)
    if api_key.revoked or client.has_expired(now):
        request.META[CHECKED] = RequestCheck(None, True, 0)
        return request.META[CHECKED]
    window = RateWindow.current(now)
    try:
        _, (count,) = store().get_and_count([], [(window.counter_name(client.hashed_key), window.ends_at)])
    except CacheUnavailable:
        count = 1  # no counter to keep: no limit, as for the API keys themselves
    request.META[CHECKED] = counted(client, window, count, now)
    return request.META[CHECKED]


def rate_limit_headers(request):
    """The RateLimit headers of a request whose key was checked and found good; an empty list otherwise."""
    check = request.META.get(CHECKED)
    return check.rate_limit_headers() if isinstance(check, RequestCheck) else []


def failures_counter(request, now):
    """This moment's window of API_AUTH_FAILURE_LIMIT, the request's client address, and its counter there."""
    failures = RateWindow.current(now, settings.API_AUTH_FAILURE_LIMIT)
    address = client_address(request)
    return failures, address, failures.failures_name(address)


def failures_wait(request, now):
    """The seconds the request's client must wait when it is past API_AUTH_FAILURE_LIMIT, else None."""
    failures, _, name = failures_counter(request, now)
    try:
        failed = store().get(name)
    except CacheUnavailable:
        return None  # no counter to read: no limit, as for the keys themselves
    return failures.ends_at - now if int(failed or 0) >= failures.limit else None


def count_failure(request):
    """Count a request refused for a missing or bad key against its client's API_AUTH_FAILURE_LIMIT; return
    the seconds it must wait once past the limit, else None. Logs the first refusal per client and window
    (the rest would be a line per request, which a flood of made-up keys turns into a flood of lines)."""
    now = time.time()
    failures, address, name = failures_counter(request, now)
    try:
        count = store().increment(name, expires_at=failures.ends_at)
    except CacheUnavailable:
        return None  # no counter to keep: no limit, as for the keys themselves
    if count == 1:
        logger.warning(
            "API request refused from %s: no valid API key. Its refusals are counted, not logged, until %s UTC; "
            "past %d (API_AUTH_FAILURE_LIMIT) they get 429.",
            address,
            time.strftime("%H:%M:%S", time.gmtime(failures.ends_at)),
            failures.limit,
        )
    return failures.ends_at - now if count > failures.limit else None


def client_for(key, hashed_key, state, now):
    """The ClientKey that `key` is, from its remembered `state` or else from the database (and then remembered),
    or None if the key is unknown, revoked or expired."""
    state = state.decode() if isinstance(state, bytes) else state
    if state is not None and state != RECHECK:
        client = ClientKey(hashed_key, None if state == NEVER else float(state))
        return None if client.has_expired(now) else client
    try:
        api_key = APIKey.objects.get_from_key(key)
    except APIKey.DoesNotExist:
        return None
    client = ClientKey(hashed_key, api_key.expiry_date.timestamp() if api_key.expiry_date else None)
    if client.has_expired(now):
        return None
    if state is None:
        with suppress(CacheUnavailable):  # added, never overwritten: a RECHECK written meanwhile stays
            store().add(
                key_state_name(hashed_key),
                NEVER if client.expires_at is None else str(client.expires_at),
                KEY_STATE_SECONDS,
            )
    return client


def forget_key(api_key):
    """Called once a key's change is committed: its requests are checked in the database for a while."""
    with suppress(CacheUnavailable):
        store().set(key_state_name(api_key.hashed_key), RECHECK, KEY_STATE_SECONDS)
