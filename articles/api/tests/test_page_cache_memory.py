"""The page cache's memory: pages unlikely to be asked for again are not stored; every deployment bounds Redis."""

import pytest
import yaml
from django.conf import settings

from articles.api.pagecache import STORED_OFFSET_MAX, cache_stats

pytestmark = pytest.mark.django_db


def cache_states(api_client, path):
    return [api_client.get(path).headers["X-Cache"] for _ in range(2)]


def test_the_first_pages_are_stored_down_to_the_bound(backend, api_client, make_articles):
    make_articles(2)

    assert cache_states(api_client, "/api/articles/?limit=5") == ["MISS", "HIT"]
    assert cache_states(api_client, f"/api/articles/?offset={STORED_OFFSET_MAX}") == ["MISS", "HIT"]


def test_deeper_pages_are_computed_each_time_and_never_stored(backend, api_client, make_articles):
    make_articles(2)

    answers = [api_client.get(f"/api/articles/?offset={STORED_OFFSET_MAX + 1}") for _ in range(2)]

    assert [(r.status_code, r.headers["X-Cache"]) for r in answers] == [(200, "MISS")] * 2
    assert cache_stats()["keys"] == 0
    assert (cache_stats()["hits"], cache_stats()["misses"]) == (0, 0)  # not looked up at all


def test_a_walk_by_cursor_stores_its_first_page_only(backend, api_client, make_articles):
    make_articles(5)
    first = api_client.get("/api/articles/?limit=2").json()

    walked = [api_client.get(first["next"]).headers["X-Cache"] for _ in range(2)]

    assert walked == ["MISS", "MISS"]
    assert cache_stats()["keys"] == 1


def test_a_poll_for_what_is_newer_is_stored(backend, api_client, make_articles):
    """Clients that read the same first page ask the same `previous` cursor: what arrived since."""
    make_articles(5)
    second = api_client.get(api_client.get("/api/articles/?limit=2").json()["next"]).json()

    assert cache_states(api_client, second["previous"]) == ["MISS", "HIT"]


def redis_arguments(manifest, service):
    """The redis-server arguments of `service` in a compose file or of its container in a Kubernetes manifest."""
    for document in yaml.safe_load_all(manifest.read_text()):
        if "services" in document:
            return document["services"][service]["command"]
        if document.get("kind") == "Deployment" and document["metadata"]["name"] == service:
            return document["spec"]["template"]["spec"]["containers"][0]["args"]
    raise AssertionError(f"no {service} in {manifest}")


@pytest.mark.parametrize("manifest", ["compose.yaml", "deploy/k8s/overlays/dev/redis.yaml"])
def test_every_redis_the_project_deploys_is_bounded_and_evicts_the_least_recently_used(manifest):
    arguments = redis_arguments(settings.BASE_DIR / manifest, "redis")

    assert arguments[arguments.index("--maxmemory") + 1] == "256mb"
    assert arguments[arguments.index("--maxmemory-policy") + 1] == "allkeys-lru"
