"""Each article names its story, and `story=` lists one story's articles (the stories themselves: stories/api)."""

import pytest

from articles.models import Article
from articles.services.ingest import ingest

pytestmark = pytest.mark.django_db


def test_each_article_names_its_story_and_a_story_lists_its_articles(api_client, sandbox):
    ingest(sources=["newsapi"], categories=["business"])
    grouped = Article.objects.exclude(story=None).values_list("story", flat=True)
    story = max(set(grouped), key=list(grouped).count)  # the story with the most articles

    listed = api_client.get("/api/articles/", {"limit": 100}).json()["results"]
    of_story = api_client.get("/api/articles/", {"story": story, "limit": 100}).json()["results"]

    assert {article["id"]: article["story"] for article in listed} == dict(
        Article.objects.filter(id__in=[a["id"] for a in listed]).values_list("id", "story")
    )
    assert sorted(article["id"] for article in of_story) == sorted(
        Article.objects.filter(story=story).values_list("id", flat=True)
    )
    assert {article["story"] for article in of_story} == {story}


@pytest.mark.parametrize("value", ["0", "abc", "١٢"])
def test_a_wrong_story_is_a_400_naming_it(api_client, value):
    answer = api_client.get("/api/articles/", {"story": value})

    assert answer.status_code == 400
    assert list(answer.json()["errors"]) == ["story"]
