"""The front page at /, rendered by the server: top stories, tabs, search, and its page kept until articles change."""

import pytest
from django.utils import timezone

from articles.services.article_writer import upsert_articles
from articles.signals import send_articles_changed_on_commit

from .headlines import coverage
from .test_services import article

pytestmark = pytest.mark.django_db


@pytest.fixture
def stored():
    upsert_articles(coverage(timezone.now(), article))


def test_it_shows_the_top_stories_with_their_publishers_and_related_coverage(client, stored):
    page = client.get("/").content.decode()
    assert page.index("Chiquita to buy Fyffes") < page.index("Mt. Gox") < page.index("Bayern Munich")
    assert "5 publishers · 5 articles" in page
    assert "Reuters, BBC News, The Guardian, Bloomberg, Irish Times" in page
    assert "Chiquita and Fyffes agree merger to form banana giant" in page  # related coverage, linked
    assert 'href="https://news.example.com/2"' in page


def test_its_tabs_and_search_narrow_the_stories(client, stored):
    sports = client.get("/?category=sports").content.decode()
    assert "Bayern Munich" in sports
    assert "Chiquita" not in sports
    found = client.get("/?q=bitcoin").content.decode()
    assert "Mt. Gox" in found
    assert "Bayern" not in found


def test_it_says_when_nothing_matches(client, stored):
    assert "No stories match “curling”" in client.get("/?q=curling").content.decode()


def test_it_keeps_its_page_until_articles_change(client, stored, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        send_articles_changed_on_commit()  # a generation to keep the page under
    assert "Chiquita" in client.get("/").content.decode()
    upsert_articles([article("Curling: Sweden win the world championship in Beijing", "AP", number=99)])
    assert "Curling" not in client.get("/").content.decode()  # the page kept
    with django_capture_on_commit_callbacks(execute=True):
        send_articles_changed_on_commit()  # as an ingest does after its commit
    assert "Curling" in client.get("/").content.decode()


def test_it_answers_only_reads(client, stored):
    assert client.post("/").status_code == 405
