"""Upstream content that the database cannot store costs only its own item: never its page, its source
or the other source. Against the sandbox over real HTTP and the real database."""

import pytest
from django.db import connection

from articles.models import Article
from articles.services.ingest import ingest
from articles.upstreams.cleaning import TEXT_LIMITS

pytestmark = pytest.mark.django_db

CATEGORIES = ["technology", "sports"]


def run(sources=("newsapi", "guardian"), categories=CATEGORIES, full=False):
    """With `full` after deleting a first run's articles: its whole window again, as --full does. Resuming where the
    first run started would ask the Guardian from that day only, which after midnight UTC leaves yesterday out."""
    results = ingest(sources=list(sources), categories=categories, full=full)
    return {result.source: result for result in results}


def test_a_lone_surrogate_costs_neither_its_page_nor_the_other_source(sandbox):
    clean = run()
    every_story = set(Article.objects.values_list("url", flat=True))
    Article.objects.all().delete()
    sandbox.set_fault("guardian", "surrogate")  # a title "Broken \ud800" first in every Guardian page

    results = run(full=True)

    assert {r.status for r in results.values()} == {"ok"}
    assert results["newsapi"].fetched == clean["newsapi"].fetched
    broken = Article.objects.filter(source="guardian", url__endswith="-surrogate")
    assert broken.count() == len(CATEGORIES)
    assert set(broken.values_list("title", flat=True)) == {"Broken \N{REPLACEMENT CHARACTER}"}
    assert set(Article.objects.exclude(pk__in=broken).values_list("url", flat=True)) == every_story
    assert results["guardian"].skipped == 0


def test_an_oversized_item_is_stored_shortened_and_its_source_goes_on(sandbox):
    sandbox.set_fault("newsapi", "oversized")  # every page starts with a title of more than 1 MB

    results = run(sources=["newsapi"])

    assert results["newsapi"].status == "ok", results["newsapi"].message
    assert results["newsapi"].categories == CATEGORIES  # every page of both categories was stored
    oversized = Article.objects.filter(url__endswith="-oversized")
    assert oversized.count() == len(CATEGORIES)
    for title in oversized.values_list("title", flat=True):
        assert len(title) <= TEXT_LIMITS["title"]
        assert title.endswith(" \N{HORIZONTAL ELLIPSIS}") is False  # cut on a word boundary, no space before "…"
        assert title.endswith("\N{HORIZONTAL ELLIPSIS}")
        assert title.removesuffix("\N{HORIZONTAL ELLIPSIS}").split()[-1].rstrip("0123456789").isalpha()


def test_an_oversized_item_fits_postgresqls_full_text_index(sandbox, postgres):
    sandbox.set_fault("guardian", "oversized")

    results = run(sources=["guardian"])

    assert results["guardian"].status == "ok", results["guardian"].message
    assert Article.objects.filter(url__endswith="-oversized").count() == len(CATEGORIES)


@pytest.fixture
def database_refuses_title(db):
    """refuse(title): the database refuses to store an article with that title, as it would content that
    no bound foresaw (a trigger: the real database says no, nothing is mocked)."""
    table = Article._meta.db_table

    def refuse(title):
        title = "'" + title.replace("'", "''") + "'"  # SQLite takes no parameters in a trigger
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute(
                    "CREATE FUNCTION refuse_title() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                    f"IF NEW.title = {title} THEN RAISE EXCEPTION 'refused by the test'; END IF; RETURN NEW; END $$"
                )
                cursor.execute(
                    f"CREATE TRIGGER refuse_title BEFORE INSERT OR UPDATE ON {table} "
                    "FOR EACH ROW EXECUTE FUNCTION refuse_title()"
                )
            else:
                cursor.execute(
                    f"CREATE TRIGGER refuse_title BEFORE INSERT ON {table} WHEN NEW.title = {title} "
                    "BEGIN SELECT RAISE(ABORT, 'refused by the test'); END"
                )

    return refuse


def test_a_batch_the_database_refuses_is_stored_item_by_item(sandbox, database_refuses_title, log_output):
    clean = run()
    every_story = set(Article.objects.values_list("url", flat=True))
    Article.objects.all().delete()
    requests_before = len(sandbox.requests_to("guardian"))
    database_refuses_title("A title with a NUL in it")  # the garbage fault puts one first in every page
    sandbox.set_fault("guardian", "garbage")

    results = run(full=True)

    guardian = results["guardian"]
    assert {r.status for r in results.values()} == {"ok"}, guardian.message
    assert guardian.categories == CATEGORIES
    pages = len(sandbox.requests_to("guardian")) - requests_before
    assert guardian.skipped == pages * (5 + 1)  # the five unreadable odd items, and the one refused
    assert set(Article.objects.values_list("url", flat=True)) >= every_story
    assert not Article.objects.filter(title="A title with a NUL in it").exists()
    assert guardian.fetched == guardian.created + guardian.updated + guardian.unchanged + guardian.skipped
    assert results["newsapi"].fetched == clean["newsapi"].fetched
    assert log_output.getvalue().count("could not be stored (refused by the test)") == pages


def test_the_items_skipped_are_logged_with_their_reasons_a_line_a_page(sandbox, log_output):
    sandbox.set_fault("guardian", "garbage")  # five items no article can be made of, first in every page

    results = run(sources=["guardian"])

    pages = len(sandbox.requests_to("guardian"))
    lines = [line for line in log_output.getvalue().splitlines() if "items skipped" in line]
    assert len(lines) == pages, log_output.getvalue()
    assert all(" INFO " in line for line in lines)
    assert "guardian page 1 of technology: 5 items skipped (2 without a usable URL, 2 not an object, " in lines[0]
    assert lines[0].endswith(", 1 without a usable date)")
    assert results["guardian"].skipped == 5 * pages
