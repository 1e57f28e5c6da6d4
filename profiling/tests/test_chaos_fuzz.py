"""The fault suite's bad inputs come from the OpenAPI schema: every query parameter of every GET endpoint."""

import json
from urllib.parse import parse_qsl, urlsplit

from django.test import Client

from profiling.chaos.fuzz import FEED, requests_from

IDS = {"/api/articles/{id}/": 7, "/api/stories/{id}/": 8}


def schema():
    return json.loads(Client().get("/api/schema/").content)


def tried(requests):
    """{(path, parameter name)} of every request, the feed's token aside."""
    pairs = set()
    for _, address, _ in requests:
        parts = urlsplit(address)
        for name, _ in parse_qsl(parts.query, keep_blank_values=True):
            if not (parts.path == FEED and name == "token" and "token=T&" in address):
                pairs.add((parts.path, name))
    return pairs


def test_every_query_parameter_of_every_get_endpoint_is_tried(db):
    described = schema()
    requests = requests_from(described, ids=IDS, token="T")

    wanted = {
        (path, parameter["name"])
        for path, operations in described["paths"].items()
        for parameter in operations.get("get", {}).get("parameters", [])
        if parameter["in"] == "query"
    }
    assert {("/api/articles/", "since_id"), ("/api/stories/", "min_publishers"), ("/api/feeds/", "limit")} <= wanted
    assert wanted <= tried(requests)
    assert {(FEED, "token"), (FEED, "publisher"), (FEED, "story")} <= tried(requests)
    assert (FEED, "cursor") not in tried(requests)  # a feed takes no cursor: README.md, "Atom feeds"
    assert 300 < len(requests) < 800


def test_bad_ids_go_to_every_detail_endpoint_and_a_good_one_too(db):
    paths = [path for _, path, _ in requests_from(schema(), ids=IDS, token="T")]

    assert {"/api/articles/abc/", "/api/stories/abc/", "/api/articles/7/?limit=5", "/api/stories/8/?limit=5"} <= set(
        paths
    )
    assert all(len(path) < 4000 for path in paths)  # within gunicorn's request line: the service answers each
