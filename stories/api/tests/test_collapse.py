"""GET /api/articles/?collapse=story: one article per story, its lead, with how many others the story holds."""

from datetime import timedelta

import pytest
from django.utils import timezone

from articles.services.article_writer import upsert_articles
from stories.api.tests.test_api_stories import GOX, SBARRO
from stories.tests.test_services import article

pytestmark = pytest.mark.django_db

MH370 = "Malaysia Airlines MH370 search widens to the Indian Ocean"


@pytest.fixture
def told():
    """Gox by four publishers, Sbarro by one (in health), MH370 by two: the first of each is its story's lead."""
    now = timezone.now().replace(microsecond=0)
    rows = [
        *(article(GOX, p, number=n, published_at=now - timedelta(hours=3, minutes=-n)) for n, p in enumerate("ABCD")),
        article(SBARRO, "AP", number=10, published_at=now - timedelta(hours=2), category="health"),
        *(
            article(MH370, p, number=20 + n, published_at=now - timedelta(hours=1, minutes=-n))
            for n, p in enumerate("EF")
        ),
    ]
    upsert_articles(rows)
    return rows


def listed(api_client, query):
    answer = api_client.get(f"/api/articles/?{query}")
    assert answer.status_code == 200, answer.content
    return answer.json()


def test_it_shows_each_story_once_by_its_lead(api_client, told):
    results = listed(api_client, "collapse=story")["results"]
    assert [(item["title"], item["source_name"], item["related_count"]) for item in results] == [
        (MH370, "E", 1),
        (SBARRO, "AP", 0),
        (GOX, "A", 3),
    ]
    assert len({item["story"] for item in results}) == 3


def test_it_says_nothing_of_related_articles_uncollapsed(api_client, told):
    results = listed(api_client, "")["results"]
    assert len(results) == len(told)
    assert {item["related_count"] for item in results} == {None}


def test_it_works_with_the_other_filters_and_pages(api_client, told):
    assert [item["title"] for item in listed(api_client, "collapse=story&category=business")["results"]] == [
        MH370,
        GOX,
    ]
    first = listed(api_client, "collapse=story&limit=2")
    assert [item["title"] for item in first["results"]] == [MH370, SBARRO]
    rest = api_client.get(first["next"]).json()
    assert [(item["title"], item["related_count"]) for item in rest["results"]] == [(GOX, 3)]
    assert [item["title"] for item in listed(api_client, "collapse=story&offset=1&limit=1")["results"]] == [SBARRO]
    assert [item["title"] for item in listed(api_client, "collapse=story&q=bankruptcy")["results"]] == [GOX]


def test_it_refuses_another_collapse_in_one_sentence(api_client, told):
    answer = api_client.get("/api/articles/?collapse=publisher")
    assert answer.status_code == 400
    assert answer.json()["errors"] == {"collapse": ["Unknown collapse 'publisher'; use one of: story."]}
