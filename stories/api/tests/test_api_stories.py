"""GET /api/stories/ and /api/stories/{id}/: keys, fields, order, filters, the page cache and the schema."""

from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from articles.services.article_writer import upsert_articles
from articles.signals import send_articles_changed_on_commit
from stories.models import Story
from stories.tests.test_services import article

pytestmark = pytest.mark.django_db

GOX = "Bitcoin exchange Mt. Gox files for US bankruptcy protection"
SBARRO = "Pizza chain Sbarro closes its restaurants in Ohio"


@pytest.fixture
def stories():
    """Gox told by three publishers (one of them twice) an hour ago; Sbarro by one, a week ago, in health."""
    now = timezone.now().replace(microsecond=0)
    gox = [
        article(GOX, publisher, number=n, published_at=now - timedelta(hours=1, minutes=n))
        for n, publisher in enumerate(["Reuters", "BBC", "Reuters", "CNN"])
    ]
    sbarro = article(SBARRO, "AP", number=10, published_at=now - timedelta(days=7), category="health")
    upsert_articles([*gox, sbarro])
    return Story.objects.get(title=GOX), Story.objects.get(title=SBARRO)


def test_it_needs_a_key(stories):
    assert APIClient().get("/api/stories/").status_code == 401


def test_it_lists_stories_with_their_figures_top_first(api_client, stories):
    gox, sbarro = stories
    results = api_client.get("/api/stories/").json()["results"]
    assert [story["id"] for story in results] == [gox.id, sbarro.id]
    first = results[0]
    assert {k: first[k] for k in ("title", "category", "article_count", "publisher_count", "publishers")} == {
        "title": GOX,
        "category": "business",
        "article_count": 4,
        "publisher_count": 3,
        "publishers": ["Reuters", "CNN", "BBC"],  # most articles first, then the first to publish
    }
    assert (first["lead"]["title"], first["lead"]["source_name"]) == (GOX, "CNN")  # the first published
    assert first["first_published_at"] < first["last_published_at"]


def test_the_window_s_stories_come_first_however_many_publishers_an_older_one_has(api_client, stories):
    gox, sbarro = stories
    Story.objects.filter(pk=sbarro.pk).update(publisher_count=50)
    assert [s["id"] for s in api_client.get("/api/stories/").json()["results"]] == [gox.id, sbarro.id]
    newest = api_client.get("/api/stories/?ordering=-last_published_at").json()["results"]
    assert [s["id"] for s in newest] == [gox.id, sbarro.id]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("category=health", ["sbarro"]),
        ("min_publishers=2", ["gox"]),
        ("q=pizza", ["sbarro"]),
        ("published_after=2000-01-01&published_before=2000-01-02", []),
        ("published_after={day_ago}", ["gox"]),
    ],
)
def test_it_filters(api_client, stories, query, expected):
    gox, sbarro = stories
    day_ago = (datetime.now(UTC) - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
    results = api_client.get(f"/api/stories/?{query.format(day_ago=day_ago)}").json()["results"]
    assert [s["id"] for s in results] == [{"gox": gox.id, "sbarro": sbarro.id}[name] for name in expected]


def test_q_finds_the_stories_of_the_newest_matching_articles(api_client, stories, monkeypatch):
    _, sbarro = stories
    upsert_articles([article("Bitcoin pizza day, remembered", "AP", number=20, published_at=timezone.now())])
    pizza = Story.objects.get(title="Bitcoin pizza day, remembered")
    monkeypatch.setattr("stories.selectors.SEARCHED_ARTICLES", 2)
    both = api_client.get("/api/stories/?q=pizza").json()["results"]

    monkeypatch.setattr("stories.selectors.SEARCHED_ARTICLES", 1)
    newest = api_client.get("/api/stories/?q=pizza&limit=5").json()["results"]

    assert [s["id"] for s in both] == [pizza.id, sbarro.id]
    assert [s["id"] for s in newest] == [pizza.id]


@pytest.mark.parametrize("query", ["min_publishers=0", "catgory=health", "ordering=title", "category=weather"])
def test_it_rejects_a_wrong_parameter_with_a_400_naming_it(api_client, stories, query):
    response = api_client.get(f"/api/stories/?{query}")
    assert response.status_code == 400
    assert query.split("=")[0] in response.json()["errors"]


def test_one_story_has_its_articles_newest_first(api_client, stories):
    gox, _ = stories
    body = api_client.get(f"/api/stories/{gox.id}/").json()
    assert body["article_count"] == len(body["articles"]) == 4
    times = [a["published_at"] for a in body["articles"]]
    assert times == sorted(times, reverse=True)


def test_an_unknown_story_is_a_404_that_says_so(api_client, stories):
    response = api_client.get("/api/stories/999999/")
    assert (response.status_code, response.json()) == (404, {"detail": "There is no story with the id '999999'."})


def test_it_is_page_cached_with_an_etag_until_articles_change(api_client, stories, django_capture_on_commit_callbacks):
    first, second = api_client.get("/api/stories/"), api_client.get("/api/stories/")
    assert (first.headers["X-Cache"], second.headers["X-Cache"]) == ("MISS", "HIT")
    assert api_client.get("/api/stories/", headers={"If-None-Match": first.headers["ETag"]}).status_code == 304
    with django_capture_on_commit_callbacks(execute=True):
        send_articles_changed_on_commit()
    assert api_client.get("/api/stories/").headers["X-Cache"] == "MISS"


def test_it_is_in_the_openapi_schema(client):
    paths = client.get("/api/schema/").json()["paths"]
    assert {"/api/stories/", "/api/stories/{id}/"} <= set(paths)
    parameters = {p["name"] for p in paths["/api/stories/"]["get"]["parameters"]}
    assert {"category", "q", "published_after", "published_before", "min_publishers", "ordering"} <= parameters
