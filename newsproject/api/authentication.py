"""
API keys and the per-key rate limit. DRF imports this module while its views
module is loading, so nothing here may import rest_framework.views.
"""

from django.conf import settings
from rest_framework import authentication, exceptions, permissions, throttling
from rest_framework_api_key.models import APIKey

KEY_MISSING = "An API key is required: send it as 'Authorization: Bearer <key>' or 'X-Api-Key: <key>'."
KEY_INVALID = "The API key is unknown, revoked or expired."


def key_from_request(request):
    scheme, _, credentials = request.META.get("HTTP_AUTHORIZATION", "").partition(" ")
    if scheme.lower() == "bearer" and credentials.strip():
        return credentials.strip()
    return request.META.get("HTTP_X_API_KEY", "").strip() or None


def usable_key(key):
    """The APIKey that `key` is, if it is neither revoked nor expired (hashes compared, never the key stored)."""
    try:
        api_key = APIKey.objects.get_from_key(key)
    except APIKey.DoesNotExist:
        return None
    return None if api_key.has_expired else api_key


class ApiKeyAuthentication(authentication.BaseAuthentication):
    """`request.auth` is the client's APIKey; there are no user accounts in the API."""

    def authenticate(self, request):
        key = key_from_request(request)
        if key is None:
            return None
        api_key = usable_key(key)
        if api_key is None:
            raise exceptions.AuthenticationFailed(KEY_INVALID)
        return (None, api_key)

    def authenticate_header(self, request):
        return 'Bearer realm="api"'


class HasApiKey(permissions.BasePermission):
    def has_permission(self, request, view):
        return isinstance(request.auth, APIKey)


class ApiKeyRateThrottle(throttling.SimpleRateThrottle):
    """API_RATE_LIMIT per key, counted in the cache, so shared by every server process that shares the cache."""

    scope = "api_key"

    def get_rate(self):
        return settings.API_RATE_LIMIT

    def get_cache_key(self, request, view):
        return f"throttle:api_key:{request.auth.prefix}" if isinstance(request.auth, APIKey) else None
