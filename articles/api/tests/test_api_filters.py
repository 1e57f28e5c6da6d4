"""The list filters that take several values (category, source, publisher, exclude_publisher) and the date range."""

from datetime import timedelta

import pytest

pytestmark = pytest.mark.django_db


def titles(response):
    assert response.status_code == 200, response.json()
    return sorted(article["title"] for article in response.json()["results"])


@pytest.fixture
def three_kinds(make_articles):
    make_articles(1, title="Markets", category="business", source="newsapi", source_name="Example Times")
    make_articles(1, title="Chips", category="technology", source="guardian", source_name="The Guardian")
    make_articles(1, title="Derby", category="sports", source="newsapi", source_name="Daily Sport")


def test_category_takes_several_values(api_client, three_kinds):
    response = api_client.get("/api/articles/", {"category": "business,technology"})

    assert titles(response) == ["Chips", "Markets"]


def test_source_takes_several_values(api_client, three_kinds):
    assert titles(api_client.get("/api/articles/", {"source": "guardian,newsapi"})) == ["Chips", "Derby", "Markets"]
    assert titles(api_client.get("/api/articles/", {"source": "guardian"})) == ["Chips"]


def test_publisher_keeps_only_theirs(api_client, three_kinds):
    response = api_client.get("/api/articles/", {"publisher": "Example Times,Daily Sport"})

    assert titles(response) == ["Derby", "Markets"]


def test_exclude_publisher_keeps_all_but_theirs(api_client, three_kinds):
    response = api_client.get("/api/articles/", {"exclude_publisher": "Example Times"})

    assert titles(response) == ["Chips", "Derby"]


@pytest.mark.parametrize(
    ("query", "name", "message"),
    [
        (
            {"category": "business,weather"},
            "category",
            "Unknown category 'weather'; use one of: business, entertainment, general, health, science, sports, "
            "technology.",
        ),
        (
            {"category": "business,"},
            "category",
            "A value in the list is empty: separate the values with single commas.",
        ),
        ({"publisher": "A,,B"}, "publisher", "A value in the list is empty: separate the values with single commas."),
        ({"exclude_publisher": "A\x00"}, "exclude_publisher", "Null characters are not allowed."),
    ],
)
def test_it_rejects_a_wrong_list(api_client, three_kinds, query, name, message):
    response = api_client.get("/api/articles/", query)

    assert response.status_code == 400
    assert response.json()["errors"] == {name: [message]}


def test_a_reversed_date_range_is_an_empty_page(api_client, three_kinds):
    """Not a 400: OpenAPI cannot say that one parameter must be later than another, so clients could not know."""
    response = api_client.get("/api/articles/", {"published_after": "2026-11-24", "published_before": "2026-11-22"})

    assert titles(response) == []


def test_a_list_may_also_be_given_as_repeated_parameters(api_client, three_kinds):
    response = api_client.get("/api/articles/?category=business&category=technology,sports&publisher=Daily+Sport")

    assert titles(response) == ["Derby"]


def test_a_parameter_of_one_value_is_still_given_once(api_client, three_kinds):
    response = api_client.get("/api/articles/?ordering=published_at&ordering=-published_at")

    assert response.json()["errors"] == {"ordering": ["Given more than once; give it once."]}


def test_since_id_gives_what_was_added_after_that_article(api_client, make_articles):
    (seen,) = make_articles(1)
    late = make_articles(2, published_at=seen.published_at - timedelta(days=1))  # added later, published earlier

    response = api_client.get("/api/articles/", {"since_id": seen.id})

    assert sorted(a["id"] for a in response.json()["results"]) == [a.id for a in late]


@pytest.mark.parametrize("value", ["-1", "1.5", "x", "\u0661", str(2**63)])
def test_since_id_must_be_an_id(api_client, value):
    response = api_client.get("/api/articles/", {"since_id": value})

    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["since_id"]
