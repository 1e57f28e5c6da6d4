"""API_RATE_LIMIT per key, in fixed windows counted atomically in the cache: one limit for every server process
and replica. A client can make up to twice the limit across the boundary of two windows (README.md)."""

import math

from rest_framework import throttling

from .keys import ClientKey, check_request


class ApiKeyRateThrottle(throttling.BaseThrottle):
    def allow_request(self, request, view):
        if not isinstance(request.auth, ClientKey):
            return True  # the views open to all (schema, docs) have no key to count against
        self.check = check_request(request)
        return self.check.allowed

    def wait(self):
        return math.ceil(self.check.wait)
