"""The browser fixtures of tests/test_browser.py (Chromium driven by Playwright), for the front page's tests."""

from tests.test_browser import browser, offline_page  # noqa: F401 (fixtures)
