from io import StringIO

import pytest
from django.core.management import call_command

from articles.models import Article
from articles.services.article_writer import upsert_articles
from stories.models import Story

from .test_services import GOX, article, story_of

pytestmark = pytest.mark.django_db
SBARRO = "Pizza chain Sbarro closes its restaurants in Ohio"


def rebuild():
    call_command("cluster_stories", "--rebuild", "--no-progress", stdout=StringIO())


def act(admin_client, path, action, ids):
    return admin_client.post(path, {"action": action, "_selected_action": [str(i) for i in ids]}, follow=True)


def test_it_shows_a_story_with_its_articles(admin_client):
    upsert_articles([article(title, publisher, minutes=n) for n, (title, publisher) in enumerate(GOX)])
    page = admin_client.get(f"/admin/stories/story/{story_of(GOX[0][0]).pk}/change/")
    assert page.status_code == 200
    assert page.content.decode().count("Mt. Gox") >= len(GOX)


def test_a_merge_survives_ingests_and_rebuilds(admin_client):
    upsert_articles([article(GOX[0][0], minutes=0), article(SBARRO, minutes=1)])
    stories = [story_of(GOX[0][0]).pk, story_of(SBARRO).pk]
    response = act(admin_client, "/admin/stories/story/", "merge", stories)
    assert "Merged into" in response.content.decode()
    merged = story_of(GOX[0][0])
    assert (merged, merged.manual, merged.article_count) == (story_of(SBARRO), True, 2)
    upsert_articles([article(GOX[1][0], minutes=2)])
    rebuild()
    assert story_of(SBARRO) == story_of(GOX[0][0]) == merged
    assert Story.objects.get(pk=merged.pk).article_count >= 2


def test_an_article_moved_out_stays_out(admin_client):
    upsert_articles([article(title, publisher, minutes=n) for n, (title, publisher) in enumerate(GOX)])
    moved = Article.objects.get(title=GOX[1][0])
    response = act(admin_client, "/admin/stories/storyarticle/", "move_out", [moved.pk])
    assert "Moved 1 articles out" in response.content.decode()
    own = story_of(GOX[1][0])
    assert own.manual
    assert own.article_count == 1
    assert story_of(GOX[0][0]).article_count == 2
    rebuild()
    assert story_of(GOX[1][0]) == own
    assert story_of(GOX[0][0]) != own


def test_the_admin_index_names_the_stories_models_in_plain_english(admin_client):
    page = admin_client.get("/admin/").content.decode()

    assert ">Articles of stories</a>" in page
    assert ">Stories</a>" in page
