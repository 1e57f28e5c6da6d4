"""Deleting articles (in the admin, or any other way) leaves their stories' figures right."""

import pytest

from articles.models import Article
from articles.services.article_writer import upsert_articles
from stories.models import Story, StoryTerm
from stories.tests.test_services import GOX, article

pytestmark = pytest.mark.django_db


@pytest.fixture
def gox():
    upsert_articles([article(title, publisher, minutes=n) for n, (title, publisher) in enumerate(GOX)])
    return Article.objects.get(title=GOX[0][0]).story


def test_deleting_its_lead_recounts_the_story(gox):
    Article.objects.get(title=GOX[0][0]).delete()
    gox.refresh_from_db()
    assert (gox.article_count, gox.publisher_count, gox.publishers) == (2, 2, ["BBC News", "Reuters"])
    assert (gox.lead.title, gox.title) == (GOX[1][0], GOX[1][0])


def test_deleting_several_at_once_recounts_once_they_are_gone(gox):
    Article.objects.filter(title__in=[GOX[0][0], GOX[2][0]]).delete()
    gox.refresh_from_db()
    assert (gox.article_count, gox.publisher_count, gox.publishers, gox.title) == (1, 1, ["BBC News"], GOX[1][0])


def test_deleting_all_its_articles_deletes_the_story(gox):
    Article.objects.all().delete()
    assert not Story.objects.exists()
    assert not StoryTerm.objects.exists()


def test_the_admin_deletes_and_recounts(admin_client, gox):
    lead = Article.objects.get(title=GOX[0][0])
    answer = admin_client.post(
        "/admin/articles/article/", {"action": "delete_selected", "_selected_action": [lead.pk], "post": "yes"}
    )
    assert answer.status_code == 302
    gox.refresh_from_db()
    assert (gox.article_count, gox.title) == (2, GOX[1][0])
