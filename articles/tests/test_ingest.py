"""The ingest service against the sandbox over real HTTP and the real database."""

import threading

import pytest
from django.db import connection

from articles.models import Article, IngestRun
from articles.services.ingest import NoUsableSource, ingest
from articles.services.runs import IngestLocked
from articles.upstreams import guardian, newsapi

ALL = ["newsapi", "guardian"]
CATEGORIES = ["technology", "sports"]

pytestmark = pytest.mark.django_db


def run(sources=ALL, categories=CATEGORIES, **options):
    return {result.source: result for result in ingest(sources=sources, categories=categories, **options)}


def test_it_stores_articles_from_both_upstreams(sandbox):
    results = run()

    assert {r.status for r in results.values()} == {"ok"}
    assert Article.objects.filter(source="newsapi").exists()
    assert Article.objects.filter(source="guardian").exists()
    assert set(Article.objects.values_list("category", flat=True)) == set(CATEGORIES)
    stored = sum(r.created for r in results.values())
    assert stored == Article.objects.count()
    for result in results.values():
        assert result.fetched == result.created + result.updated + result.unchanged + result.skipped


def test_it_records_one_ingest_run_per_source(sandbox):
    results = run()

    runs = {run.source: run for run in IngestRun.objects.all()}
    assert set(runs) == set(ALL)
    for source, run_row in runs.items():
        assert run_row.status == "ok"
        assert run_row.finished_at >= run_row.started_at
        assert run_row.requests_made == results[source].requests_made == len(sandbox.requests_to(source))
        assert (run_row.fetched, run_row.created, run_row.skipped) == (
            results[source].fetched,
            results[source].created,
            results[source].skipped,
        )


def test_a_second_run_over_the_same_data_creates_nothing(sandbox):
    first = run()
    count = Article.objects.count()

    second = run()

    assert Article.objects.count() == count
    assert sum(r.created + r.updated for r in second.values()) == 0
    assert second["newsapi"].unchanged == first["newsapi"].created + first["newsapi"].unchanged


def test_the_same_story_from_both_upstreams_is_one_row_and_the_guardians(sandbox):
    results = run(categories=["technology"])

    # Every fifth NewsAPI story in the sandbox is a Guardian story, with tracking parameters on its URL;
    # one in 23 is a "[Removed]" placeholder, so the newest fifth that is not one.
    index = next(i for i in range(sandbox.newest_index() // 5 * 5, 0, -5) if i % 23)
    from_newsapi = newsapi.normalise(sandbox.newsapi_story("technology", index), category="technology")
    from_guardian = guardian.normalise(sandbox.guardian_story("technology", index), category="technology")
    assert from_newsapi.url == from_guardian.url
    stored = Article.objects.get(url=from_guardian.url)
    assert (stored.source, stored.external_id) == ("guardian", from_guardian.external_id)
    # Whichever stored it first, the totals hold: 10 Guardian stories, NewsAPI's own for the rest.
    assert Article.objects.filter(source="guardian").count() == 10
    assert sum(r.created for r in results.values()) == Article.objects.count()


def test_it_counts_skipped_items(sandbox):
    sandbox.config.stories_per_feed = 46  # one NewsAPI story in 23 is a [Removed] placeholder: two of these

    results = run(sources=["newsapi"], categories=["technology"])

    assert results["newsapi"].skipped == 2
    assert results["newsapi"].created == 44


def test_it_updates_stories_that_changed_upstream(sandbox):
    first = run(sources=["newsapi"])
    before = Article.objects.filter(source="newsapi").first()

    sandbox.config.revision = 2
    second = run(sources=["newsapi"])

    assert second["newsapi"].created == 0
    assert second["newsapi"].updated == first["newsapi"].created
    after = Article.objects.get(pk=before.pk)
    assert after.title.endswith("(revision 2)")
    assert after.first_seen_at == before.first_seen_at
    assert after.last_updated_at > before.last_updated_at


def test_a_dry_run_stores_no_articles_but_reports_what_it_would(sandbox):
    results = run(dry_run=True)

    assert Article.objects.count() == 0
    assert results["newsapi"].created > 0
    assert IngestRun.objects.get(source="newsapi").dry_run is True  # its requests still count against the budget


def test_one_failing_source_does_not_stop_the_other(sandbox):
    sandbox.set_fault("guardian", "500")

    results = run()

    assert results["guardian"].status == "failed"
    assert results["guardian"].message == "The Guardian still answered HTTP 500 after 2 retries: Internal server error."
    assert results["newsapi"].status == "ok"
    assert Article.objects.filter(source="newsapi").count() == results["newsapi"].created > 0


def test_a_failure_keeps_the_pages_stored_before_it(sandbox):
    sandbox.config.stories_per_feed = 60  # technology: two Guardian pages
    sandbox.set_fault("guardian", "malformed", after=1)

    results = run(sources=["guardian"], categories=["technology"])

    assert results["guardian"].status == "failed"
    assert results["guardian"].created == 50
    assert Article.objects.filter(source="guardian").count() == 50
    assert (
        IngestRun.objects.get().message == "The Guardian answered HTTP 200 with malformed JSON (cut short or invalid)."
    )


def test_a_source_without_a_key_is_skipped_and_says_which_variable(sandbox, settings):
    settings.GUARDIAN_API_KEY = ""

    results = run()

    assert results["guardian"].status == "skipped"
    assert results["guardian"].message == "The Guardian skipped: GUARDIAN_API_KEY is not set."
    assert sandbox.requests_to("guardian") == []
    assert results["newsapi"].status == "ok"


def test_no_key_at_all_names_both_variables(sandbox, settings):
    settings.NEWSAPI_KEY = settings.GUARDIAN_API_KEY = ""

    with pytest.raises(NoUsableSource, match="set NEWSAPI_KEY and GUARDIAN_API_KEY"):
        run()

    assert sandbox.requests == []


def test_a_dry_run_counts_what_a_real_run_would(sandbox):
    dry = run(dry_run=True)
    real = run()

    # Which upstream lands a shared story first may differ between the two; what each fetched and what is new may not.
    assert sum(r.created for r in dry.values()) == sum(r.created for r in real.values()) == Article.objects.count()
    assert {s: r.fetched for s, r in dry.items()} == {s: r.fetched for s, r in real.items()}


def test_odd_items_are_stored_cleaned_or_skipped(sandbox):
    sandbox.set_fault("guardian", "garbage")

    results = run(sources=["guardian"], categories=["technology"])

    assert results["guardian"].status == "ok"
    assert results["guardian"].skipped == 5
    assert Article.objects.filter(title="A title with a NUL in it").exists()
    assert Article.objects.filter(url__startswith="https://xn--r8jz45g.jp/").get().category == "technology"


def test_a_concurrent_ingest_is_turned_away_by_the_lock(sandbox, ingest_lock_held_elsewhere):
    with pytest.raises(IngestLocked, match="Another fetch_articles run holds the ingest lock"):
        run()
    assert sandbox.requests == []
    assert IngestRun.objects.count() == 0

    ingest_lock_held_elsewhere.release()
    run()
    assert Article.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_two_ingests_at_once_store_each_story_once(sandbox):
    sandbox.config.latency = 0.05
    outcomes = []

    def ingest_in_thread():
        try:
            outcomes.append(run())
        except IngestLocked as exc:  # PostgreSQL: the second is turned away
            outcomes.append(exc)
        except Exception as exc:  # surfaced below
            outcomes.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=ingest_in_thread) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    runs = [outcome for outcome in outcomes if isinstance(outcome, dict)]
    assert all(isinstance(outcome, dict | IngestLocked) for outcome in outcomes), outcomes
    # Each story created once, by one run or the other, and the counts say so.
    assert sum(result.created for results in runs for result in results.values()) == Article.objects.count() > 0
