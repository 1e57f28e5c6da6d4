"""What the OpenAPI schema declares: the answers each operation can give, the key schemes, the bounds of parameters."""

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.test import Client

KEYED_OPERATIONS = ["/api/articles/", "/api/articles/{id}/", "/api/sources/", "/api/categories/", "/api/cache/stats/"]
PAGE_CACHED = ["/api/articles/", "/api/articles/{id}/", "/api/sources/", "/api/categories/"]


@pytest.fixture(scope="module")
def schema(django_db_blocker):
    with django_db_blocker.unblock():
        return Client().get("/api/schema/").json()


def operation(schema, path):
    return schema["paths"][path]["get"]


def parameter(schema, path, name):
    return next(p for p in operation(schema, path)["parameters"] if p["name"] == name)


@pytest.mark.parametrize("path", KEYED_OPERATIONS)
def test_it_declares_the_errors_of_every_keyed_operation(schema, path):
    responses = operation(schema, path)["responses"]

    assert {"200", "400", "401", "429", "503"} <= set(responses)
    assert responses["400"]["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/ValidationError"}
    for status in ("401", "429", "503"):
        assert responses[status]["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/Error"}
    assert "Retry-After" in responses["429"]["headers"]
    assert "Retry-After" in responses["503"]["headers"]


def test_it_declares_the_validation_error_model(schema):
    model = schema["components"]["schemas"]["ValidationError"]

    assert set(model["required"]) == {"detail", "errors"}
    assert model["properties"]["errors"]["additionalProperties"] == {"type": "array", "items": {"type": "string"}}


def test_it_declares_a_404_only_where_an_id_is_given(schema):
    assert "404" in operation(schema, "/api/articles/{id}/")["responses"]
    assert "404" not in operation(schema, "/api/articles/")["responses"]


@pytest.mark.parametrize("path", PAGE_CACHED)
def test_it_declares_conditional_gets_where_the_page_cache_answers(schema, path):
    responses = operation(schema, path)["responses"]

    assert "ETag" in responses["200"]["headers"]
    assert "ETag" in responses["304"]["headers"]
    assert "content" not in responses["304"]
    assert parameter(schema, path, "If-None-Match")["in"] == "header"


def test_it_declares_no_conditional_get_for_the_cache_stats(schema):
    assert "304" not in operation(schema, "/api/cache/stats/")["responses"]


@pytest.mark.parametrize("path", KEYED_OPERATIONS)
def test_it_declares_either_key_header_as_enough(schema, path):
    assert operation(schema, path)["security"] == [{"bearer": []}, {"apiKeyHeader": []}]


def test_the_schema_needs_no_key_and_declares_no_errors(schema):
    assert "/api/schema/" not in schema["paths"]
    assert "/api/docs/" not in schema["paths"]


def test_it_declares_missing_texts_as_nullable(schema):
    fields = schema["components"]["schemas"]["Article"]["properties"]

    assert [name for name, field in fields.items() if field.get("nullable")] == [
        "description",
        "image_url",
        "author",
        "story",
        "related_count",
    ]


def test_it_declares_the_bounds_of_paging(schema):
    assert parameter(schema, "/api/articles/", "limit")["schema"] == {
        "type": "integer",
        "minimum": 1,
        "maximum": 100,
        "default": 20,
    }
    assert parameter(schema, "/api/articles/", "offset")["schema"] == {
        "type": "integer",
        "minimum": 0,
        "maximum": 10_000,
    }


@pytest.mark.parametrize("name", ["published_after", "published_before"])
def test_it_declares_dates_and_times_for_the_date_filters(schema, name):
    formats = {choice["format"] for choice in parameter(schema, "/api/articles/", name)["schema"]["anyOf"]}

    assert formats == {"date", "date-time"}


def test_it_names_the_orderings(schema):
    ordering = parameter(schema, "/api/articles/", "ordering")["schema"]

    assert dict(zip(ordering["enum"], ordering["x-enum-varnames"], strict=True)) == {
        "-published_at": "NEWEST_FIRST",
        "published_at": "OLDEST_FIRST",
    }


def test_the_detail_operation_has_its_own_description(schema):
    detail = operation(schema, "/api/articles/{id}/")["description"]

    assert detail != operation(schema, "/api/articles/")["description"]
    assert "404" in detail


def test_it_declares_the_page_links_always_there(schema):
    page = schema["components"]["schemas"]["PaginatedArticleList"]

    assert set(page["required"]) == {"count", "count_is_estimate", "next", "previous", "results"}
    assert page["properties"]["next"]["nullable"] is True


@pytest.mark.parametrize("name", ["category", "source", "publisher", "exclude_publisher"])
def test_it_declares_the_lists_with_at_least_one_value(schema, name):
    declared = parameter(schema, "/api/articles/", name)

    assert (declared["schema"]["type"], declared["schema"]["minItems"]) == ("array", 1)
    assert (declared["style"], declared["explode"]) == ("form", False)


def test_it_declares_the_cursor_by_the_pattern_of_the_cursors_it_gives(schema, api_client, make_articles):
    make_articles(3)
    next_link = api_client.get("/api/articles/", {"limit": 1}).json()["next"]

    pattern = parameter(schema, "/api/articles/", "cursor")["schema"]["pattern"]

    assert re.fullmatch(pattern, parse_qs(urlsplit(next_link).query)["cursor"][0])


def test_it_declares_since_id_an_id(schema):
    assert parameter(schema, "/api/articles/", "since_id")["schema"] == {
        "type": "integer",
        "minimum": 0,
        "maximum": 2**63 - 1,
    }
