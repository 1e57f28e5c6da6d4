"""GET /api/sources/ and /api/categories/: what there is to read, with counts."""

import pytest

pytestmark = pytest.mark.django_db


def test_sources_lists_each_upstream_and_publisher_with_counts(api_client, make_articles):
    make_articles(3, source="newsapi", source_name="BBC News")
    make_articles(1, source="newsapi", source_name="Reuters")
    make_articles(2, source="guardian", source_name="The Guardian")

    response = api_client.get("/api/sources/")

    assert response.status_code == 200
    assert response.json() == [
        {
            "source": "newsapi",
            "name": "NewsAPI",
            "count": 4,
            "publishers": [{"name": "BBC News", "count": 3}, {"name": "Reuters", "count": 1}],
        },
        {
            "source": "guardian",
            "name": "The Guardian",
            "count": 2,
            "publishers": [{"name": "The Guardian", "count": 2}],
        },
    ]


def test_categories_lists_every_category_with_its_count(api_client, make_articles):
    make_articles(2, category="science")
    make_articles(1, category="sports")

    response = api_client.get("/api/categories/")

    assert response.json() == [
        {"category": "business", "count": 0},
        {"category": "entertainment", "count": 0},
        {"category": "general", "count": 0},
        {"category": "health", "count": 0},
        {"category": "science", "count": 2},
        {"category": "sports", "count": 1},
        {"category": "technology", "count": 0},
    ]


@pytest.mark.parametrize("path", ["/api/sources/", "/api/categories/"])
def test_they_take_no_parameters(api_client, path):
    response = api_client.get(path, {"limit": "5"})

    assert response.status_code == 400
    assert response.json()["errors"] == {"limit": ["Unknown parameter; the known ones are: none."]}
