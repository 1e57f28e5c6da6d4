"""
API keys and the per-key rate limit. DRF imports this module while its views
module is loading, so nothing here may import rest_framework.views.

A good key's state (known, not revoked, its expiry) is remembered in the cache for
a minute, under the key's SHA-512, so that most requests need no database query to
authenticate. Saving or deleting a key marks it for a minute as to be checked in the
database, and not remembered: a request that read the key before the change cannot
remember it as it was.

The page cache (response_cache.py) checks the key and counts the request in the same
round trip as it fetches the page, and leaves its findings on the request as a KeyCheck;
the DRF classes below use them rather than asking again.
"""

import hashlib
import math
import time
from contextlib import suppress
from dataclasses import dataclass

from django.conf import settings
from rest_framework import authentication, exceptions, permissions, throttling
from rest_framework_api_key.models import APIKey

from .cachestore import CacheUnavailable, store

KEY_MISSING = "An API key is required: send it as 'Authorization: Bearer <key>' or 'X-Api-Key: <key>'."
KEY_INVALID = "The API key is unknown, revoked or expired."
KEY_STATE_SECONDS = 60
NEVER = "never"  # a remembered key's expiry when it has none
RECHECK = "recheck"  # a key changed lately: check it in the database, do not remember it
PERIOD_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


@dataclass(frozen=True)
class ClientKey:
    """A good API key, as `request.auth`: its hash and expiry, never the key itself."""

    digest: str
    expires_at: float | None

    def has_expired(self, now):
        return self.expires_at is not None and self.expires_at <= now


@dataclass(frozen=True)
class RateDecision:
    allowed: bool
    wait: float


@dataclass(frozen=True)
class KeyCheck:
    """What the page cache found: the request's key (None: not a good one) and its rate decision."""

    client: ClientKey | None
    rate: RateDecision

    def remember(self, request):
        request.api_key_check = self

    @staticmethod
    def made_for(request):
        return getattr(request, "api_key_check", None)


def key_from_request(request):
    scheme, _, credentials = request.META.get("HTTP_AUTHORIZATION", "").partition(" ")
    if scheme.lower() == "bearer" and credentials.strip():
        return credentials.strip()
    return request.META.get("HTTP_X_API_KEY", "").strip() or None


def key_digest(key):
    """The hash djangorestframework-api-key stores for `key`, after its "sha512$$"."""
    return hashlib.sha512(key.encode()).hexdigest()


def key_state_name(digest):
    return f"apikey:{digest}"


def client_for(key, digest, state, now):
    """The ClientKey that `key` is, from its remembered `state` or else from the database (and then remembered),
    or None if the key is unknown, revoked or expired."""
    state = state.decode() if isinstance(state, bytes) else state
    if state is not None and state != RECHECK:
        client = ClientKey(digest, None if state == NEVER else float(state))
        return None if client.has_expired(now) else client
    try:
        api_key = APIKey.objects.get_from_key(key)
    except APIKey.DoesNotExist:
        return None
    client = ClientKey(digest, api_key.expiry_date.timestamp() if api_key.expiry_date else None)
    if client.has_expired(now):
        return None
    if state is None:
        with suppress(CacheUnavailable):  # added, never overwritten: a RECHECK written meanwhile stays
            store().add(
                key_state_name(digest),
                NEVER if client.expires_at is None else str(client.expires_at),
                KEY_STATE_SECONDS,
            )
    return client


def forget_key(api_key):
    """Called once a key's change is committed: its requests are checked in the database for a while."""
    with suppress(CacheUnavailable):
        store().set(key_state_name(api_key.hashed_key.removeprefix("sha512$$")), RECHECK, KEY_STATE_SECONDS)


@dataclass(frozen=True)
class RateWindow:
    """This moment's fixed window of the per-key limit: one counter per key and window, ending with it."""

    limit: int
    seconds: int
    number: int
    now: float

    @classmethod
    def current(cls, now):
        count, period = settings.API_RATE_LIMIT.split("/")
        seconds = PERIOD_SECONDS[period[0]]
        return cls(int(count), seconds, int(now // seconds), now)

    @property
    def ends_at(self):
        return (self.number + 1) * self.seconds

    def counter_name(self, digest):
        return f"rate:{digest[:32]}:{self.number}"

    def decide(self, count):
        return RateDecision(True, 0) if count <= self.limit else RateDecision(False, self.ends_at - self.now)


class ApiKeyAuthentication(authentication.BaseAuthentication):
    """`request.auth` is the client's ClientKey; there are no user accounts in the API."""

    def authenticate(self, request):
        key = key_from_request(request)
        if key is None:
            return None
        check = KeyCheck.made_for(request._request)
        client = check.client if check is not None else self.client_without_check(key)
        if client is None:
            raise exceptions.AuthenticationFailed(KEY_INVALID)
        return (None, client)

    def client_without_check(self, key):
        digest = key_digest(key)
        try:
            state = store().get(key_state_name(digest))
        except CacheUnavailable:
            state = RECHECK  # the database decides, and nothing is remembered
        return client_for(key, digest, state, time.time())

    def authenticate_header(self, request):
        return 'Bearer realm="api"'


class HasApiKey(permissions.BasePermission):
    def has_permission(self, request, view):
        return isinstance(request.auth, ClientKey)


class ApiKeyRateThrottle(throttling.BaseThrottle):
    """API_RATE_LIMIT per key in fixed windows, counted atomically in the cache: one limit for every server process.
    Without the cache there is no limit (it fails open)."""

    def allow_request(self, request, view):
        if not isinstance(request.auth, ClientKey):
            return True  # the views open to all (schema, docs) have no key to count against
        check = KeyCheck.made_for(request._request)
        self.decision = check.rate if check is not None else self.count(request.auth)
        return self.decision.allowed

    def count(self, client):
        window = RateWindow.current(time.time())
        try:
            count = store().increment(window.counter_name(client.digest), expires_at=window.ends_at)
        except CacheUnavailable:
            return RateDecision(True, 0)
        return window.decide(count)

    def wait(self):
        return math.ceil(self.decision.wait)
