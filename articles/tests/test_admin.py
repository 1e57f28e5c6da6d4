"""The admin pages an operator opens after an ingest."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.utils.html import escape

from articles.models import Article, IngestRun

pytestmark = pytest.mark.django_db


@pytest.fixture
def ingested(sandbox):
    call_command("fetch_articles", "--category", "technology", "-v", "0", stdout=StringIO())


def test_the_ingest_runs_are_listed(admin_client, ingested):
    response = admin_client.get("/admin/articles/ingestrun/")

    assert response.status_code == 200
    assert response.content.count(b'class="field-status"') == IngestRun.objects.count() == 2


def test_an_ingest_run_is_read_only(admin_client, ingested):
    run = IngestRun.objects.first()

    assert admin_client.get(f"/admin/articles/ingestrun/{run.pk}/change/").status_code == 200
    assert admin_client.post(f"/admin/articles/ingestrun/{run.pk}/change/", {"status": "ok"}).status_code == 403


def test_articles_are_listed_filtered_and_searched(admin_client, ingested):
    article = Article.objects.filter(source="guardian").first()

    listing = admin_client.get("/admin/articles/article/", {"source__exact": "guardian", "q": article.title})

    assert listing.status_code == 200
    assert article.title.encode() in listing.content


def test_an_article_is_shown_but_not_editable(admin_client, ingested):
    article = Article.objects.first()

    response = admin_client.get(f"/admin/articles/article/{article.pk}/change/")

    assert response.status_code == 200
    assert escape(article.url).encode() in response.content
    for name in ["url", "title", "category", "published_at_0"]:  # a date and time are two inputs
        assert f'name="{name}"'.encode() not in response.content
