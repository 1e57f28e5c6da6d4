import random

from django.conf import settings


def should_record(request):
    """Whether silk records `request`: never a health check, a static file or a feed read by its token, else
    SILK_INTERCEPT_PERCENT of them."""
    if request.path.startswith(("/health/", f"/{settings.STATIC_URL}")):
        return False
    if "token" in request.GET:  # silk stores the query parameters as they are: a feed token would be kept
        return False
    return random.random() * 100 < settings.SILK_INTERCEPT_PERCENT  # noqa: S311 (sampling, not secrecy)
