"""The front page in Chromium (Debian's, driven by Playwright): at a desktop's width and at a phone's."""

import os
from pathlib import Path

import pytest
from django.utils import timezone

from articles.services.article_writer import upsert_articles
from tests.test_browser import CHROMIUM

from .headlines import coverage
from .test_services import article

# SCREENSHOTS=docs keeps the screenshots in docs/ (the README shows them); otherwise they go to a temporary folder.
SCREENSHOTS = os.environ.get("SCREENSHOTS", "")

pytestmark = [
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason=f"needs Chromium at {CHROMIUM}: apt-get install chromium"),
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def stored():
    upsert_articles(coverage(timezone.now(), article))


def shot(page, tmp_path, name):
    folder = Path(SCREENSHOTS) if SCREENSHOTS else tmp_path
    path = folder / name
    page.screenshot(path=str(path), full_page=True)
    return path


@pytest.mark.parametrize(("width", "name"), [(1100, "front-page.png"), (390, "front-page-phone.png")])
def test_a_reader_sees_the_top_stories_at_any_width(offline_page, live_server, stored, tmp_path, width, name):
    page = offline_page
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(f"{live_server.url}/")

    stories = page.locator("article.story")
    assert stories.count() == 5
    assert stories.first.locator("h2").inner_text().startswith("Chiquita to buy Fyffes")
    assert stories.first.locator(".related li").count() == 4
    assert page.evaluate("document.documentElement.scrollWidth") <= width  # nothing wider than the screen
    assert page.locator("link[rel=stylesheet]").evaluate("link => link.sheet.cssRules.length") > 10
    assert shot(page, tmp_path, name).stat().st_size > 10_000
    assert page.blocked == []


def test_a_reader_picks_a_tab_then_searches(offline_page, live_server, stored):
    page = offline_page
    page.goto(f"{live_server.url}/")
    page.click("nav.tabs >> text=Sports")
    page.wait_for_url("**/?category=sports")
    assert page.locator("article.story h2").all_inner_texts() == [
        "Bayern Munich clinch Bundesliga title with record seven games left"
    ]
    page.fill("input[name=q]", "bitcoin")
    page.press("input[name=q]", "Enter")
    page.wait_for_url("**/?category=sports&q=bitcoin")
    assert "No stories match" in page.locator("main").inner_text()
    page.click("nav.tabs >> text=All")
    assert page.locator("article.story h2").first.inner_text().startswith("Bitcoin exchange Mt. Gox")
