"""
API keys and the per-key rate limit. DRF imports this module while its views
module is loading, so nothing here may import rest_framework.views.

A good key's state (known, not revoked, its expiry) is remembered in the cache for
a minute, under the key's SHA-512, so that most requests need no database query to
authenticate. Saving or deleting the key in the database forgets it at once.
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


def client_from_state(digest, state, now):
    """The ClientKey a remembered state stands for, or None if it has expired since."""
    expiry = state.decode() if isinstance(state, bytes) else state
    client = ClientKey(digest, None if expiry == NEVER else float(expiry))
    return None if client.has_expired(now) else client


def client_from_database(key, digest, now):
    """The ClientKey for `key` if it is known, not revoked and not expired; remembered for next time."""
    try:
        api_key = APIKey.objects.get_from_key(key)
    except APIKey.DoesNotExist:
        return None
    client = ClientKey(digest, api_key.expiry_date.timestamp() if api_key.expiry_date else None)
    if client.has_expired(now):
        return None
    with suppress(CacheUnavailable):
        store().set(
            key_state_name(digest), NEVER if client.expires_at is None else str(client.expires_at), KEY_STATE_SECONDS
        )
    return client


def forget_key(api_key):
    """Called once a key's change is committed: its next request is checked against the database."""
    with suppress(CacheUnavailable):
        store().delete(key_state_name(api_key.hashed_key.removeprefix("sha512$$")))


def client_for(key, now):
    digest = key_digest(key)
    try:
        state = store().get(key_state_name(digest))
    except CacheUnavailable:
        state = None
    return client_from_state(digest, state, now) if state is not None else client_from_database(key, digest, now)


@dataclass(frozen=True)
class RateWindow:
    """This moment's fixed window of the per-key limit: one counter per key and window, expiring with it."""

    limit: int
    seconds: int
    number: int
    now: float

    @classmethod
    def current(cls, now):
        count, period = settings.API_RATE_LIMIT.split("/")
        seconds = PERIOD_SECONDS[period[0]]
        return cls(int(count), seconds, int(now // seconds), now)

    def counter_name(self, digest):
        return f"rate:{digest[:32]}:{self.number}"

    def decide(self, count):
        if count <= self.limit:
            return RateDecision(True, 0)
        return RateDecision(False, (self.number + 1) * self.seconds - self.now)


def count_request(client, now):
    """Counts one request against the key's limit; without the cache there is no limit (it fails open)."""
    window = RateWindow.current(now)
    try:
        count = store().increment(window.counter_name(client.digest), ttl=window.seconds)
    except CacheUnavailable:
        return RateDecision(True, 0)
    return window.decide(count)


class ApiKeyAuthentication(authentication.BaseAuthentication):
    """`request.auth` is the client's ClientKey; there are no user accounts in the API.

    The page cache may have checked the key already, in the same round trip as the page: then its answer is used.
    """

    def authenticate(self, request):
        key = key_from_request(request)
        if key is None:
            return None
        if hasattr(request._request, "api_client"):
            client = request._request.api_client
        else:
            client = client_for(key, time.time())
        if client is None:
            raise exceptions.AuthenticationFailed(KEY_INVALID)
        return (None, client)

    def authenticate_header(self, request):
        return 'Bearer realm="api"'


class HasApiKey(permissions.BasePermission):
    def has_permission(self, request, view):
        return isinstance(request.auth, ClientKey)


class ApiKeyRateThrottle(throttling.BaseThrottle):
    """API_RATE_LIMIT per key in fixed windows, counted atomically in the cache: one limit for every server process.

    The page cache may have counted the request already, in the round trip that fetched the page: not counted twice.
    """

    def allow_request(self, request, view):
        if not isinstance(request.auth, ClientKey):
            return True  # the views open to all (schema, docs) have no key to count against
        counted = getattr(request._request, "rate_decision", None)
        self.decision = counted or count_request(request.auth, time.time())
        return self.decision.allowed

    def wait(self):
        return math.ceil(self.decision.wait)
