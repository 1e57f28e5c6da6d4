"""GET /api/articles/ as a client reads it: shape, order, paging, filters, search, and every kind of bad input."""

from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

pytestmark = pytest.mark.django_db

FIELDS = [
    "id",
    "title",
    "description",
    "url",
    "image_url",
    "author",
    "source",
    "source_name",
    "category",
    "published_at",
    "story",
    "related_count",
]


def ids(response):
    return [article["id"] for article in response.json()["results"]]


def test_it_answers_null_where_a_text_is_missing(api_client, make_articles):
    (missing,) = make_articles(1, description="", image_url="", author="")

    for article in (
        api_client.get("/api/articles/").json()["results"][0],
        api_client.get(f"/api/articles/{missing.id}/").json(),
    ):
        assert (article["description"], article["image_url"], article["author"]) == (None, None, None)


def test_it_answers_the_texts_that_are_there(api_client, make_articles):
    make_articles(1, description="What.", image_url="https://img.example.com/1.jpg", author="A. Writer")

    article = api_client.get("/api/articles/").json()["results"][0]

    assert (article["description"], article["image_url"], article["author"]) == (
        "What.",
        "https://img.example.com/1.jpg",
        "A. Writer",
    )


def test_it_lists_articles_newest_first(api_client, make_articles):
    made = make_articles(3)

    response = api_client.get("/api/articles/")

    assert response.status_code == 200
    body = response.json()
    assert list(body) == ["count", "count_is_estimate", "next", "previous", "results"]
    assert (body["count"], body["next"], body["previous"]) == (3, None, None)
    assert ids(response) == [a.id for a in made]


def test_an_article_has_the_documented_fields_in_utc(api_client, make_articles):
    (article,) = make_articles(1, published_at=datetime(2026, 11, 23, 9, 30, 15, tzinfo=UTC), author="A. Writer")

    (listed,) = api_client.get("/api/articles/").json()["results"]

    assert list(listed) == FIELDS
    assert listed["published_at"] == "2026-11-23T09:30:15Z"
    assert listed == api_client.get(f"/api/articles/{article.id}/").json()
    assert (listed["title"], listed["author"], listed["source"]) == (article.title, "A. Writer", "newsapi")


def test_ordering_oldest_first_breaks_ties_by_id(api_client, make_articles):
    same_time = make_articles(3, spacing=timedelta(0), published_at=datetime(2026, 11, 1, tzinfo=UTC))
    same_time += make_articles(1)

    oldest_first = api_client.get("/api/articles/", {"ordering": "published_at"})
    newest_first = api_client.get("/api/articles/", {"ordering": "-published_at"})

    assert ids(oldest_first) == [a.id for a in sorted(same_time, key=lambda a: (a.published_at, a.id))]
    assert ids(newest_first) == ids(oldest_first)[::-1]


def test_limit_and_offset_page_through_without_overlap(api_client, make_articles):
    made = make_articles(5, spacing=timedelta(0))  # all at one time: the id decides

    first = api_client.get("/api/articles/", {"limit": 2, "offset": 0})  # without offset, pages go by cursor
    second = api_client.get(first.json()["next"])
    third = api_client.get(second.json()["next"])

    assert ids(first) + ids(second) + ids(third) == sorted(a.id for a in made)[::-1]
    assert third.json()["next"] is None
    assert second.json()["previous"].endswith("/api/articles/?limit=2")


def test_the_default_page_is_20(api_client, make_articles):
    make_articles(25)

    assert len(api_client.get("/api/articles/").json()["results"]) == 20


@pytest.mark.parametrize(
    ("params", "titles"),
    [
        ({"category": "science"}, {"guardian science", "newsapi science"}),
        ({"source": "guardian"}, {"guardian science", "guardian sports"}),
        ({"category": "science", "source": "guardian"}, {"guardian science"}),
    ],
)
def test_category_and_source_filter(api_client, make_articles, params, titles):
    make_articles(2, category="science", source="guardian", title="guardian science")
    make_articles(2, category="science", source="newsapi", title="newsapi science")
    make_articles(2, category="sports", source="guardian", title="guardian sports")

    response = api_client.get("/api/articles/", params)

    assert {r["title"] for r in response.json()["results"]} == titles
    assert response.json()["count"] == 2 * len(titles)


def test_published_after_and_before_are_inclusive(api_client, make_articles):
    make_articles(5, published_at=datetime(2026, 11, 23, 12, 0, tzinfo=UTC))  # 12:00, 11:59 ... 11:56

    response = api_client.get(
        "/api/articles/", {"published_after": "2026-11-23T11:57:00Z", "published_before": "2026-11-23T11:59:00Z"}
    )

    assert [r["published_at"] for r in response.json()["results"]] == [
        "2026-11-23T11:59:00Z",
        "2026-11-23T11:58:00Z",
        "2026-11-23T11:57:00Z",
    ]


def test_a_date_alone_means_its_midnight_utc(api_client, make_articles):
    make_articles(1, published_at=datetime(2026, 11, 22, 23, 59, tzinfo=UTC))
    make_articles(1, published_at=datetime(2026, 11, 23, 0, 0, tzinfo=UTC))

    response = api_client.get("/api/articles/", {"published_after": "2026-11-23"})

    assert [r["published_at"] for r in response.json()["results"]] == ["2026-11-23T00:00:00Z"]


def test_the_number_of_queries_does_not_grow_with_the_page(api_client, make_articles):
    make_articles(100)

    def queries_for(limit):
        with CaptureQueriesContext(connection) as context:
            assert api_client.get("/api/articles/", {"limit": limit}).status_code == 200
        return len(context.captured_queries)

    assert queries_for(1) == 3  # the key (remembered from now on), the count, the page
    assert queries_for(2) == queries_for(100) == 2


def test_an_unknown_id_is_a_json_404(api_client):
    for article_id in ["987654", "not-a-number"]:
        response = api_client.get(f"/api/articles/{article_id}/")
        assert response.status_code == 404
        assert response.json() == {"detail": f"There is no article with the id '{article_id}'."}


def test_one_article_takes_no_list_parameters(api_client, make_articles):
    (article,) = make_articles(1, category="business")

    response = api_client.get(f"/api/articles/{article.id}/", {"category": "health"})

    assert response.status_code == 400
    assert response.json()["errors"] == {"category": ["Unknown parameter; the known ones are: none."]}


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_writes_answer_405(api_client, make_articles, method):
    (article,) = make_articles(1)

    for path in ["/api/articles/", f"/api/articles/{article.id}/", "/api/sources/", "/api/categories/"]:
        response = getattr(api_client, method)(path, {"title": "x"}, format="json")
        assert response.status_code == 405
        assert response.json() == {"detail": f'Method "{method.upper()}" not allowed.'}


@pytest.mark.parametrize(
    ("params", "parameter", "message"),
    [
        (
            {"category": "weather"},
            "category",
            "Unknown category 'weather'; use one of: business, entertainment, general, health, science, sports, "
            "technology.",
        ),
        ({"source": "bbc"}, "source", "Unknown source 'bbc'; use one of: newsapi, guardian, feeds."),
        ({"limit": "0"}, "limit", "Must be a whole number from 1 to 100, not '0'."),
        ({"limit": "500"}, "limit", "Must be a whole number from 1 to 100, not '500'."),
        ({"limit": "abc"}, "limit", "Must be a whole number from 1 to 100, not 'abc'."),
        ({"limit": "2.5"}, "limit", "Must be a whole number from 1 to 100, not '2.5'."),
        ({"limit": "²"}, "limit", "Must be a whole number from 1 to 100, not '²'."),
        ({"limit": "\uff15"}, "limit", "Must be a whole number from 1 to 100, not '\uff15'."),  # full-width 5
        ({"limit": "0" * 5000 + "1"}, "limit", f"Must be a whole number from 1 to 100, not '{'0' * 5000}1'."),
        ({"offset": "-1"}, "offset", "Must be a whole number from 0 to 10000, not '-1'."),
        ({"offset": "²"}, "offset", "Must be a whole number from 0 to 10000, not '²'."),
        (
            {"published_after": "yesterday"},
            "published_after",
            "Must be an ISO 8601 date or time, such as 2026-11-23 or 2026-11-23T08:00:00Z.",
        ),
        (
            {"published_before": "2026-13-45"},
            "published_before",
            "Must be an ISO 8601 date or time, such as 2026-11-23 or 2026-11-23T08:00:00Z.",
        ),
        (
            {"published_after": "9999-12-31T23:59:59-01:00"},
            "published_after",
            "Must be an ISO 8601 date or time, such as 2026-11-23 or 2026-11-23T08:00:00Z.",
        ),
        (
            {"published_before": "0001-01-01T00:00:00+01:00"},
            "published_before",
            "Must be an ISO 8601 date or time, such as 2026-11-23 or 2026-11-23T08:00:00Z.",
        ),
        ({"category": ""}, "category", "Empty: give it a value, or leave it out."),
        ({"source": " "}, "source", "Empty: give it a value, or leave it out."),
        ({"ordering": ""}, "ordering", "Empty: give it a value, or leave it out."),
        ({"published_after": ""}, "published_after", "Empty: give it a value, or leave it out."),
        ({"q": ""}, "q", "Empty: give it a value, or leave it out."),
        ({"ordering": "title"}, "ordering", "Unknown ordering 'title'; use one of: -published_at, published_at."),
        (
            {"catgory": "science"},
            "catgory",
            "Unknown parameter; the known ones are: category, collapse, cursor, exclude_publisher, feed, limit, "
            "offset, ordering, published_after, published_before, publisher, q, since_id, source, story.",
        ),
    ],
)
def test_bad_input_is_a_400_naming_the_parameter_and_what_is_allowed(api_client, params, parameter, message):
    response = api_client.get("/api/articles/", params)

    assert response.status_code == 400
    assert response.json() == {"detail": f"Invalid query parameter: {parameter}.", "errors": {parameter: [message]}}


def test_a_parameter_given_twice_is_a_400(api_client):
    response = api_client.get("/api/articles/?limit=5&limit=6")

    assert response.status_code == 400
    assert response.json()["errors"] == {"limit": ["Given more than once; give it once."]}


def test_every_bad_parameter_is_reported_at_once(api_client):
    response = api_client.get("/api/articles/", {"category": "weather", "limit": "abc", "offset": "-1", "x": "1"})

    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"category", "limit", "offset", "x"}
    assert response.json()["detail"] == "Invalid query parameters: x, limit, offset, category."
