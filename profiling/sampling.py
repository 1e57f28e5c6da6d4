import random

from django.conf import settings


def should_record(request):
    """Whether silk records `request`: never a health check or a static file, else SILK_INTERCEPT_PERCENT of them."""
    if request.path.startswith(("/health/", f"/{settings.STATIC_URL}")):
        return False
    return random.random() * 100 < settings.SILK_INTERCEPT_PERCENT  # noqa: S311 (sampling, not secrecy)
