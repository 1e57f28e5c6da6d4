"""What an ingest reads of the runs before it: the daily budget spent, and where each category resumes."""

from datetime import timedelta

import pytest

from articles.models import Article, IngestRun
from articles.selectors import requests_made_today
from articles.services.ingest import ingest
from articles.upstreams import guardian

pytestmark = pytest.mark.django_db


def run(sources, categories=("technology", "sports"), **options):
    return {result.source: result for result in ingest(sources=sources, categories=list(categories), **options)}


def test_a_spent_daily_budget_skips_the_source_without_calling_it(sandbox, settings):
    settings.NEWSAPI_DAILY_REQUESTS = 3
    run(sources=["newsapi"], categories=["technology", "sports", "science"])
    assert requests_made_today("newsapi") == 3
    sandbox.requests.clear()

    results = run(sources=["newsapi"])

    assert results["newsapi"].status == "skipped"
    assert "the daily budget of 3 requests (NEWSAPI_DAILY_REQUESTS) is spent for" in results["newsapi"].message
    assert "it resets at 00:00 UTC, in" in results["newsapi"].message
    assert sandbox.requests == []


def test_a_budget_that_runs_out_mid_run_stops_early(sandbox, settings):
    settings.NEWSAPI_DAILY_REQUESTS = 2

    results = run(sources=["newsapi"], categories=["technology", "sports", "science"])

    assert results["newsapi"].status == "ok"
    assert results["newsapi"].requests_made == 2
    assert results["newsapi"].message.startswith("NewsAPI stopped early: the daily budget of 2 requests")
    assert set(Article.objects.values_list("category", flat=True)) == {"technology", "sports"}


def test_a_run_records_the_categories_it_fetched_to_the_end(sandbox):
    sandbox.config.stories_per_feed = 60

    run(sources=["guardian"], categories=["technology", "science"])
    run(sources=["guardian"], categories=["technology"], max_pages=1)

    complete, cut_short = IngestRun.objects.order_by("started_at")
    assert complete.categories == ["technology", "science"]
    assert cut_short.categories == []


def test_the_next_run_starts_a_category_where_the_last_complete_run_did(sandbox):
    sandbox.config.stories_per_feed = 300
    run(sources=["guardian"], categories=["technology"])
    requests_first_run = len(sandbox.requests)

    sandbox.requests.clear()
    run(sources=["guardian"], categories=["technology"])

    assert requests_first_run == 3  # the first-run window: a day of stories, one every 10 minutes
    assert len(sandbox.requests) == 1  # only what is new since the first run


def test_a_category_cut_short_by_a_failure_is_fetched_in_full_next_time(sandbox):
    sandbox.config.stories_per_feed = 300
    run(sources=["guardian"], categories=["technology"])
    sandbox.config.clock += sandbox.config.spacing * timedelta(seconds=100)  # 100 new stories: two pages
    sandbox.set_fault("guardian", "500", after=len(sandbox.requests) + 1)  # the second page fails
    failed = run(sources=["guardian"], categories=["technology"])
    assert (failed["guardian"].status, failed["guardian"].created) == ("failed", 50)

    sandbox.config.faults.clear()
    run(sources=["guardian"], categories=["technology"])

    newest = sandbox.newest_index()
    new_urls = {
        guardian.normalise(sandbox.guardian_story("technology", newest - i), category="x").url for i in range(100)
    }
    assert Article.objects.filter(url__in=new_urls).count() == 100


def test_full_fetches_the_first_run_window_again(sandbox):
    sandbox.config.stories_per_feed = 300
    run(sources=["guardian"], categories=["technology"])
    sandbox.requests.clear()

    results = run(sources=["guardian"], categories=["technology"], full=True)

    assert len(sandbox.requests) == 3
    assert results["guardian"].unchanged == results["guardian"].fetched == Article.objects.count()
    # A day of stories, one every 10 minutes, to the end of the page that reaches past it; just after midnight
    # UTC the Guardian's from-date (a date, not a time) cuts it at the day before's first story instead.
    assert 144 <= Article.objects.count() <= 150
