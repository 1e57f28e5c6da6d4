"""
DRF's view of API keys: `request.auth` is the client's ClientKey; there are no user accounts
in the API. The check itself is keys.check_request(), shared with the page cache. DRF imports
this module while its views module is loading, so nothing here may import rest_framework.views.
"""

import math

from rest_framework import authentication, exceptions, permissions

from .keys import ClientKey, check_request

KEY_MISSING = "An API key is required: send it as 'Authorization: Bearer <key>' or 'X-Api-Key: <key>'."
KEY_INVALID = "The API key is unknown, revoked or expired."
TOO_MANY_FAILURES = (
    "Too many requests without a valid API key from this address (API_AUTH_FAILURE_LIMIT): try again in {wait} s."
)


class TooManyFailures(exceptions.Throttled):
    """An address past API_AUTH_FAILURE_LIMIT."""

    def __init__(self, wait):
        super().__init__(wait, detail=TOO_MANY_FAILURES.format(wait=math.ceil(wait)))


class ApiKeyAuthentication(authentication.BaseAuthentication):
    def authenticate(self, request):
        check = check_request(request)
        if check is None:
            return None
        if check.client is None:
            raise exceptions.AuthenticationFailed(KEY_INVALID) if check.allowed else TooManyFailures(check.wait)
        return (None, check.client)

    def authenticate_header(self, request):
        return 'Bearer realm="api"'


class HasApiKey(permissions.BasePermission):
    def has_permission(self, request, view):
        return isinstance(request.auth, ClientKey)
