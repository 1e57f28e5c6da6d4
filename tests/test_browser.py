"""The admin, the API docs and the list endpoint in a real browser: Debian's chromium driven by Playwright."""

import io
import json
import os
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import sync_playwright

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]

pytestmark = [
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason=f"needs Chromium at {CHROMIUM}: apt-get install chromium"),
    pytest.mark.django_db(transaction=True),  # the live server reads in a thread of its own
]


@pytest.fixture(scope="module")
def browser():
    # Playwright's sync API runs an event loop in this thread; Django would take the ORM calls of the
    # tests (fixtures, the live server's set-up) for calls from async code and refuse them.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        yield browser
        browser.close()
    del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]


@pytest.fixture
def offline_page(browser, live_server):
    """A page that may load only from the live server; `page.blocked` lists every other address it asked for."""
    context = browser.new_context()
    page = context.new_page()
    page.blocked = []
    local = urlsplit(live_server.url).netloc

    def only_local(route):
        if urlsplit(route.request.url).netloc == local:
            route.continue_()
        else:
            page.blocked.append(route.request.url)
            route.abort()

    page.route("**/*", only_local)
    yield page
    context.close()


def test_an_operator_logs_in_and_sees_the_articles(offline_page, live_server, admin_user, make_articles):
    make_articles(3, title="Quarterly results beat forecasts")
    page = offline_page

    page.goto(f"{live_server.url}/admin/")
    page.fill("#id_username", "admin")
    page.fill("#id_password", "password")
    page.click("input[type=submit]")
    page.wait_for_selector("text=Site administration")
    page.goto(f"{live_server.url}/admin/articles/article/")

    assert page.locator("#result_list tbody tr").count() == 3
    assert page.locator("#result_list").inner_text().count("Quarterly results beat forecasts") == 3
    assert page.blocked == []


def test_the_api_docs_render_offline(offline_page, live_server):
    page = offline_page

    page.goto(f"{live_server.url}/api/docs/")
    page.wait_for_selector(".swagger-ui .info .title", timeout=15_000)
    page.wait_for_selector("text=/api/articles/")

    assert "News aggregator API" in page.locator(".swagger-ui .info .title").inner_text()
    assert page.blocked == []


def test_the_list_endpoint_answers_a_browser_with_a_key(browser, live_server, api_key, make_articles):
    make_articles(2)
    context = browser.new_context(extra_http_headers={"X-Api-Key": api_key})
    page = context.new_page()

    response = page.goto(f"{live_server.url}/api/articles/?limit=1")
    body = json.loads(page.locator("body").inner_text())
    context.close()

    assert response.status == 200
    assert (body["count"], len(body["results"])) == (2, 1)


def test_the_admin_fits_a_laptop_screen(browser, live_server, admin_user, sandbox, tmp_path):
    from django.core.management import call_command

    sandbox.config.stories_per_feed, sandbox.config.spacing = 60, 4 * 3600  # ten days of NewsAPI stories
    for _ in range(2):
        call_command("fetch_articles", "-v", "0", stdout=io.StringIO())
    context = browser.new_context(viewport={"width": 1366, "height": 900})
    page = context.new_page()
    page.goto(f"{live_server.url}/admin/")
    page.fill("#id_username", "admin")
    page.fill("#id_password", "password")
    page.click("input[type=submit]")
    page.wait_for_selector("text=News service")
    page.screenshot(path=tmp_path / "admin-dashboard.png", full_page=True)
    bars = page.locator(".news-chart-bar").evaluate_all("bars => bars.filter(b => b.offsetHeight > 0).length")

    page.goto(f"{live_server.url}/admin/articles/ingestrun/")
    page.screenshot(path=tmp_path / "admin-ingest-runs.png", full_page=True)
    width = page.evaluate("document.documentElement.scrollWidth")
    table = page.evaluate("[...document.querySelectorAll('#result_list, .results')].map(e => e.scrollWidth)")
    context.close()

    assert bars >= 5  # days with articles show as bars
    assert width <= 1366, f"the ingest-run list is {width} px wide: see {tmp_path}"
    assert table[0] <= table[1], f"the ingest-run table, {table[0]} px, is cut off at {table[1]} px: see {tmp_path}"
