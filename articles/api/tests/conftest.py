"""What the API's tests share."""

import pytest
from django.core.cache import cache

from articles.api.cachestore import store


@pytest.fixture(params=["redis", "local memory"])
def backend(request, settings):
    """Each test once on Redis (as served in production) and once on local memory (a laptop's default)."""
    if request.param == "redis" and not settings.REDIS_URL:
        pytest.skip("needs Redis: set REDIS_URL=redis://... to run it")
    if request.param == "local memory":
        settings.REDIS_URL = ""
        settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
        cache.clear()  # local memory outlives the settings that named it
    store.cache_clear()
    yield request.param
    store.cache_clear()
