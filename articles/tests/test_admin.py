"""The admin pages an operator opens after an ingest."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.html import escape

from articles.models import Article, IngestRun

pytestmark = pytest.mark.django_db


@pytest.fixture
def ingested(sandbox):
    call_command("fetch_articles", "--category", "technology", "-v", "0", stdout=StringIO())


def test_the_ingest_runs_are_listed(admin_client, ingested):
    response = admin_client.get("/admin/articles/ingestrun/")

    assert response.status_code == 200
    assert response.content.count(b'<span class="run-status run-ok">ok</span>') == IngestRun.objects.count() == 2
    guardian = IngestRun.objects.get(source="guardian")
    count = '<span class="count">{} {}</span>'
    shown = f"{count.format(guardian.fetched, 'fetched')}, {count.format(guardian.created, 'created')}"
    assert shown.encode() in response.content


def test_a_long_message_is_shortened_in_the_list_and_whole_on_the_run(admin_client, ingested):
    run = IngestRun.objects.first()
    run.message = "Guardian answered HTTP 500: " + "a long reason " * 20
    run.save()

    listing = admin_client.get("/admin/articles/ingestrun/").content.decode()
    detail = admin_client.get(f"/admin/articles/ingestrun/{run.pk}/change/").content.decode()

    assert "Guardian answered HTTP 500: a long reason a long reason a l…" in listing
    assert run.message.strip() not in listing
    assert run.message.strip() in detail


def test_a_run_shows_its_categories_as_words_not_json(admin_client, ingested):
    run = IngestRun.objects.first()

    detail = admin_client.get(f"/admin/articles/ingestrun/{run.pk}/change/").content.decode()

    assert "technology" in detail
    assert "[&quot;technology&quot;]" not in detail
    assert '["technology"]' not in detail


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
    assert b'name="_save"' not in response.content
    assert f"/admin/articles/article/{article.pk}/delete/".encode() in response.content
    assert admin_client.post(f"/admin/articles/article/{article.pk}/change/", {"title": "x"}).status_code == 403


def test_the_index_shows_the_dashboard(admin_client, ingested):
    for _ in range(3):
        admin_client.get("/api/articles/", HTTP_X_API_KEY="none")  # refused: not a page-cache lookup

    page = admin_client.get("/admin/").content.decode()

    assert "News service" in page
    assert page.count('<span class="run-status run-ok">ok</span>') == 2  # the last run of each source
    assert page.count('class="news-chart-day"') == 14
    assert "Requests today (UTC)" in page
    assert "of 500" in page
    assert "of 100" in page
    assert "No API page asked for yet" in page


def test_the_dashboard_counts_today_s_articles(admin_client, make_articles):
    make_articles(5, published_at=timezone.now())

    page = admin_client.get("/admin/").content.decode()

    assert "last 14 days: 5" in page
    assert "never run" in page


def test_the_article_list_never_counts_or_scans_every_article(admin_client, postgres, make_articles, monkeypatch):
    """At a million articles a COUNT(*) of them all, or a DISTINCT of their years, is seconds per page."""
    monkeypatch.setattr("articles.counts.EXACT_UP_TO", 5)
    make_articles(8)

    with CaptureQueriesContext(connection) as queries:
        listing = admin_client.get("/admin/articles/article/")

    assert listing.status_code == 200
    reads = [query["sql"] for query in queries if '"articles_article"' in query["sql"]]
    assert not [sql for sql in reads if "COUNT(" in sql.upper() and "LIMIT" not in sql.upper()]
    assert not [sql for sql in reads if "DISTINCT" in sql.upper()]


def test_the_dashboard_shows_the_feeds_beside_the_upstreams(admin_client, make_articles):
    make_articles(4, source="feeds", published_at=timezone.now())
    make_articles(2, source="guardian", published_at=timezone.now())
    IngestRun.objects.create(source="feeds", started_at=timezone.now(), status="ok", requests_made=7, created=4)

    page = admin_client.get("/admin/").content.decode()

    assert '<th scope="row">Feeds</th>' in page
    assert page.count('<span class="run-status run-ok">ok</span>') == 1
    assert "7 requests, no daily budget" in page
    assert page.count('class="news-chart-bar source-feeds"') == 14
    assert '<span class="news-chart-key source-feeds"></span> Feeds' in page
    assert "6 articles, 2 guardian, 4 feeds" in page  # today's bar says what it is made of


def test_the_dashboard_gives_the_page_cache_s_hit_rate(admin_client, api_key, make_articles):
    make_articles(2)
    for _ in range(4):  # one miss, then three hits
        assert admin_client.get("/api/articles/", HTTP_X_API_KEY=api_key).status_code == 200

    page = admin_client.get("/admin/").content.decode()

    assert "75.0 % hits: 3 hits, 1 misses" in page
