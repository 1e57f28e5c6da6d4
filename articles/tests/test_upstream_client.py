"""The upstream clients against the sandbox over real HTTP: paging, keys, retries, pacing, budget, errors."""

import logging

import pytest

from articles.upstreams import UPSTREAMS, guardian, newsapi
from articles.upstreams.base import BudgetSpent, UpstreamError
from conftest import GUARDIAN_TEST_KEY, NEWSAPI_TEST_KEY


def fetch_all(module, category="technology", since=None, max_pages=None, requests_allowed=100, waits=None):
    """Fetch a category to the end; with `waits` (a list), record the client's waits instead of sleeping."""
    upstream = UPSTREAMS[module.SOURCE]
    client = upstream.make_client(requests_allowed=requests_allowed)
    if waits is not None:
        client.sleep = waits.append
    pages = list(upstream.fetch_pages(client, category=category, since=since, max_pages=max_pages))
    return client, pages


def test_newsapi_sends_its_key_in_a_header_never_in_the_url(sandbox):
    fetch_all(newsapi)

    (request,) = sandbox.requests_to("newsapi")
    assert request.headers["X-Api-Key"] == NEWSAPI_TEST_KEY
    assert NEWSAPI_TEST_KEY not in str(request.params)
    assert request.params == {"category": "technology", "pageSize": "100", "page": "1"}


def test_newsapi_pages_until_the_end_of_the_results(sandbox, settings):
    settings.NEWSAPI_MAX_RESULTS = 0  # a paid plan
    sandbox.config.stories_per_feed = 250
    sandbox.config.newsapi_max_results = None

    client, pages = fetch_all(newsapi)

    assert [page.number for page in pages] == [1, 2, 3]
    assert sum(page.fetched for page in pages) == 250
    assert client.requests_made == 3
    assert {page.expected for page in pages} == {250}  # totalResults: what a progress bar shows as its total


def test_newsapi_stops_at_the_free_plans_last_result_without_asking_past_it(sandbox):
    sandbox.config.stories_per_feed = 250  # the free plan stops at 100: page 2 would answer 426

    client, pages = fetch_all(newsapi)

    assert [page.number for page in pages] == [1]
    assert client.requests_made == 1
    assert pages[0].expected == 100


def test_newsapi_treats_maximum_results_reached_as_the_end(sandbox, settings):
    settings.NEWSAPI_MAX_RESULTS = 0  # configured for a paid plan, with a free key: page 2 answers 426
    sandbox.config.stories_per_feed = 250

    client, pages = fetch_all(newsapi)

    assert [page.number for page in pages] == [1]
    assert client.requests_made == 2


def test_max_pages_bounds_the_paging(sandbox, settings):
    settings.NEWSAPI_MAX_RESULTS = 0
    sandbox.config.stories_per_feed = 250
    sandbox.config.newsapi_max_results = None

    _, pages = fetch_all(newsapi, max_pages=2)

    assert [page.number for page in pages] == [1, 2]


def test_guardian_asks_for_all_sections_of_the_category(sandbox):
    fetch_all(guardian, category="entertainment")

    request = sandbox.requests_to("guardian")[0]
    assert request.params["section"].split("|") == guardian.sections_of("entertainment")
    assert request.params["api-key"] == GUARDIAN_TEST_KEY
    assert request.params["page-size"] == "50"
    assert request.params["show-fields"] == "trailText,byline,thumbnail"


def test_guardian_pages_through_results(sandbox):
    sandbox.config.stories_per_feed = 60  # technology is one section: 60 stories, two pages of 50

    client, pages = fetch_all(guardian)

    assert [len(page.articles) for page in pages] == [50, 10]
    assert client.requests_made == 2
    assert {page.expected for page in pages} == {60}


def test_guardian_stops_at_stories_already_stored(sandbox):
    sandbox.config.stories_per_feed = 200
    _, all_pages = fetch_all(guardian)
    newest_stored = all_pages[0].articles[10].published_at

    _, pages = fetch_all(guardian, since=newest_stored)

    assert len(pages) == 1


def test_guardian_paces_its_requests(sandbox, settings):
    settings.GUARDIAN_REQUESTS_PER_SECOND = 5
    sandbox.config.stories_per_feed = 150
    waits = []

    fetch_all(guardian, waits=waits)

    assert len(sandbox.requests_to("guardian")) == 3
    assert len(waits) == 2  # before the second and the third request
    assert all(0 < wait <= 0.2 for wait in waits)


def test_newsapi_is_not_paced(sandbox, settings):
    settings.NEWSAPI_MAX_RESULTS = 0
    sandbox.config.stories_per_feed = 250
    sandbox.config.newsapi_max_results = None
    waits = []

    fetch_all(newsapi, waits=waits)

    assert waits == []


def test_a_spent_budget_stops_before_calling_the_upstream(sandbox):
    sandbox.config.stories_per_feed = 150

    client = UPSTREAMS["guardian"].make_client(requests_allowed=2)
    with pytest.raises(BudgetSpent):
        list(guardian.fetch_pages(client, category="technology", since=None, max_pages=None))

    assert len(sandbox.requests_to("guardian")) == 2


def test_it_retries_a_429_after_the_time_in_retry_after(sandbox):
    sandbox.config.retry_after = 7
    sandbox.set_fault("newsapi", "429", times=1)
    waits = []

    client, pages = fetch_all(newsapi, waits=waits)

    assert waits == [7.0]
    assert client.requests_made == 2
    assert pages[0].fetched == 10


@pytest.mark.parametrize("kind", ["429-no-retry-after", "500", "html"])
def test_it_backs_off_and_retries_without_retry_after(sandbox, settings, kind):
    settings.UPSTREAM_BACKOFF = 0.5
    sandbox.set_fault("guardian", kind, times=2)
    waits = []

    client, pages = fetch_all(guardian, waits=waits)

    assert waits == [0.5, 1.0]
    assert client.requests_made == 3
    assert pages[0].fetched == 10


@pytest.mark.parametrize(
    ("module", "kind", "message"),
    [
        (
            newsapi,
            "401",
            "NewsAPI rejected the API key (HTTP 401: Your API key is invalid or incorrect. Check your key); "
            "check NEWSAPI_KEY.",
        ),
        (
            guardian,
            "401",
            "The Guardian rejected the API key (HTTP 401: Invalid authentication credentials); check GUARDIAN_API_KEY.",
        ),
        (newsapi, "429", "NewsAPI still answered HTTP 429 after 2 retries: You have made too many requests recently."),
        (
            guardian,
            "429-no-retry-after",
            "The Guardian still answered HTTP 429 after 2 retries: API rate limit exceeded.",
        ),
        (guardian, "500", "The Guardian still answered HTTP 500 after 2 retries: Internal server error."),
        (newsapi, "html", "NewsAPI answered HTTP 502 with an HTML page instead of JSON."),
        (guardian, "malformed", "The Guardian answered HTTP 200 with malformed JSON (cut short or invalid)."),
        (newsapi, "slow", "NewsAPI did not answer within 0.5 s."),
    ],
)
def test_it_reports_upstream_faults_in_one_sentence(sandbox, settings, module, kind, message):
    settings.UPSTREAM_TIMEOUT = 0.5
    sandbox.config.retry_after = 0
    sandbox.config.slow_seconds = 2
    sandbox.set_fault(module.SOURCE, kind)

    with pytest.raises(UpstreamError) as error:
        fetch_all(module)

    assert str(error.value) == message


def test_it_names_the_setting_to_lower_if_the_guardian_enforces_its_documented_page_size(sandbox, settings):
    settings.GUARDIAN_PAGE_SIZE = 200
    sandbox.config.guardian_max_page_size = 50

    with pytest.raises(UpstreamError) as error:
        fetch_all(guardian)

    assert str(error.value) == (
        "The Guardian answered HTTP 400: page-size must be an integer between 1 and 50, and page at least 1; "
        "set GUARDIAN_PAGE_SIZE=50, its documented maximum."
    )


def test_it_refuses_to_wait_longer_than_the_time_bound(sandbox, settings):
    settings.UPSTREAM_SOURCE_TIMEOUT = 1
    sandbox.config.retry_after = 3600
    sandbox.set_fault("newsapi", "429")

    with pytest.raises(UpstreamError, match="asked to wait 3600 s, longer than the time left"):
        fetch_all(newsapi)


def test_it_says_when_the_upstream_cannot_be_reached(sandbox, settings):
    settings.NEWSAPI_BASE_URL = "http://127.0.0.1:9"

    with pytest.raises(UpstreamError, match=r"^Cannot connect to NewsAPI at http://127.0.0.1:9\.$"):
        fetch_all(newsapi)


def test_it_reports_a_wrong_base_url(sandbox, settings):
    settings.GUARDIAN_BASE_URL = sandbox.base_url + "/wrong"

    with pytest.raises(UpstreamError, match=r"^The Guardian answered HTTP 404: no such endpoint: /wrong/search\.$"):
        fetch_all(guardian)


def test_no_key_reaches_the_logs(sandbox, log_output):
    """Even urllib3's own debug lines, which print whole URLs, go out through the log handler with keys masked."""
    for name in ("urllib3", "articles"):
        logging.getLogger(name).setLevel(logging.DEBUG)
    try:
        sandbox.set_fault("guardian", "500", times=1)
        fetch_all(guardian)
        fetch_all(newsapi)
    finally:
        logging.getLogger("urllib3").setLevel(logging.NOTSET)
        logging.getLogger("articles").setLevel(logging.INFO)

    logged = log_output.getvalue()
    assert "api-key=***" in logged
    assert "The Guardian answered 500; retried after" in logged
    assert GUARDIAN_TEST_KEY not in logged
    assert NEWSAPI_TEST_KEY not in logged


def test_a_short_key_does_not_garble_messages(sandbox, settings):
    settings.GUARDIAN_API_KEY = settings.NEWSAPI_KEY = "a"
    sandbox.set_fault("guardian", "401")

    with pytest.raises(UpstreamError, match=r"\(HTTP 401: Invalid authentication credentials\)"):
        fetch_all(guardian)


def test_it_never_follows_a_redirect_and_names_the_setting(sandbox):
    sandbox.set_fault("guardian", "redirect")

    with pytest.raises(UpstreamError) as error:
        fetch_all(guardian)

    assert str(error.value).startswith("The Guardian answered HTTP 302, a redirect to http://127.0.0.1:9/search?")
    assert str(error.value).endswith("; check GUARDIAN_BASE_URL.")
    assert "api-key=***" in str(error.value)
    assert GUARDIAN_TEST_KEY not in str(error.value)
    assert len(sandbox.requests) == 1  # nothing went to the other host


def test_the_time_bound_covers_an_answer_that_trickles_in(sandbox, settings):
    settings.UPSTREAM_SOURCE_TIMEOUT = 1
    sandbox.set_fault("newsapi", "trickle")  # a byte every 0.2 s: every read is quick, the whole takes minutes

    with pytest.raises(
        UpstreamError, match=r"^NewsAPI was still sending its answer after 1 s \(UPSTREAM_SOURCE_TIMEOUT\)"
    ):
        fetch_all(newsapi)


@pytest.mark.parametrize("module", [newsapi, guardian])
def test_odd_items_are_cleaned_or_skipped_never_failing_their_page(sandbox, module):
    sandbox.set_fault(module.SOURCE, "garbage")

    (page,) = fetch_all(module)[1]

    newest = sandbox.newest_index()
    removed = sum(sandbox.newsapi_story("technology", newest - i)["title"] == "[Removed]" for i in range(10))
    assert page.skipped == 5 + (removed if module is newsapi else 0)  # 5 unreadable, and NewsAPI's placeholders
    titles = [article.title for article in page.articles]
    assert "A title with a NUL in it" in titles
    assert any(article.url.startswith("https://xn--r8jz45g.jp/%E8%A8%98%E4%BA%8B/") for article in page.articles)
    assert all(article.url.isascii() and len(article.url) <= 2000 for article in page.articles)
