"""
DRF's view of API keys: `request.auth` is the client's ClientKey; there are no user accounts
in the API. The check itself is keys.check_request(), shared with the page cache. DRF imports
this module while its views module is loading, so nothing here may import rest_framework.views.
"""

from rest_framework import authentication, exceptions, permissions

from .keys import ClientKey, check_request

KEY_MISSING = "An API key is required: send it as 'Authorization: Bearer <key>' or 'X-Api-Key: <key>'."
KEY_INVALID = "The API key is unknown, revoked or expired."


class ApiKeyAuthentication(authentication.BaseAuthentication):
    def authenticate(self, request):
        check = check_request(request)
        if check is None:
            return None
        if check.client is None:
            raise exceptions.AuthenticationFailed(KEY_INVALID)
        return (None, check.client)

    def authenticate_header(self, request):
        return 'Bearer realm="api"'


class HasApiKey(permissions.BasePermission):
    def has_permission(self, request, view):
        return isinstance(request.auth, ClientKey)
