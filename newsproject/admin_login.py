"""The admin login's throttle, django-axes, as the settings configure it (AXES_* in settings.py).

`client_address` is the address the API's throttles count against too: DRF's own reading of
X-Forwarded-For, which trusts the header only as far as NUM_PROXIES proxies set it (0: never, the
connection's own address). `locked_out` is the page a refused login gets, before any password is hashed.
"""

import ipaddress

from axes.helpers import get_client_username
from django.conf import settings
from django.shortcuts import render
from rest_framework.throttling import BaseThrottle


def client_address(request):
    address = BaseThrottle().get_ident(request)
    try:
        # axes stores it in an inet column: a header that names no address must not fail the login with a 500.
        ipaddress.ip_address(address or "")
    except ValueError:
        return request.META.get("REMOTE_ADDR")
    return address


def locked_out(request, original_response, credentials):
    minutes = settings.ADMIN_LOCKOUT_MINUTES
    context = {
        "username": get_client_username(request, credentials) or "",
        "failure_limit": settings.ADMIN_LOGIN_FAILURE_LIMIT,
        "minutes": minutes,
    }
    response = render(request, "admin/locked_out.html", context, status=429)
    response["Retry-After"] = str(minutes * 60)  # at most: the lockout started with the last counted failure
    return response
