"""The sandbox upstream over real HTTP: the shapes it mirrors, its clock, its faults, its command."""

import gzip
import io
from datetime import timedelta

import pytest
import requests

from articles.upstreams import UPSTREAMS, guardian
from articles.upstreams.samples import load_sample
from conftest import manage
from profiling.sandbox import SOURCES, sandbox_process
from profiling.sandbox.stories import laid_out, merged

NEWSAPI_FIELDS = {"source", "author", "title", "description", "url", "urlToImage", "publishedAt", "content"}
GUARDIAN_FIELDS = {
    "id",
    "type",
    "sectionId",
    "sectionName",
    "webPublicationDate",
    "webTitle",
    "webUrl",
    "apiUrl",
    "fields",
    "isHosted",
    "pillarId",
    "pillarName",
}


def top_headlines(sandbox, key="k", **params):
    params = {"category": "technology", "pageSize": 100, "page": 1, **params}
    return requests.get(f"{sandbox.base_url}/v2/top-headlines", params=params, headers={"X-Api-Key": key}, timeout=5)


def search(sandbox, **params):
    params = {"api-key": "k", "section": "technology", "page-size": 50, **params}
    return requests.get(f"{sandbox.base_url}/search", params=params, timeout=5)


def test_newsapi_answers_in_its_shape(sandbox):
    body = top_headlines(sandbox).json()

    assert set(body) == {"status", "totalResults", "articles"}
    assert body["status"] == "ok"
    assert body["totalResults"] == 10
    assert all(set(article) == NEWSAPI_FIELDS for article in body["articles"])
    assert all(set(article["source"]) == {"id", "name"} for article in body["articles"])


def test_newsapi_answers_426_past_result_100_as_on_the_free_plan(sandbox):
    sandbox.config.stories_per_feed = 500

    response = top_headlines(sandbox, page=2)

    assert response.status_code == 426
    assert response.json()["code"] == "maximumResultsReached"


def test_newsapi_without_a_key_answers_401(sandbox):
    response = requests.get(f"{sandbox.base_url}/v2/top-headlines", params={"category": "technology"}, timeout=5)

    assert response.status_code == 401
    assert response.json() == {"status": "error", "code": "apiKeyMissing", "message": "Your API key is missing."}


def test_guardian_answers_in_its_shape(sandbox):
    body = search(sandbox).json()

    response = body["response"]
    assert {
        "status",
        "userTier",
        "total",
        "startIndex",
        "pageSize",
        "currentPage",
        "pages",
        "orderBy",
        "results",
    } == set(response)
    assert (response["status"], response["total"], response["pages"]) == ("ok", 10, 1)
    assert all(set(result) == GUARDIAN_FIELDS for result in response["results"])


def shape(value):
    """The keys of a JSON value, recursively (lists and scalars are leaves), comparable and hashable."""
    return frozenset((key, shape(child)) for key, child in value.items()) if isinstance(value, dict) else None


@pytest.mark.parametrize(
    ("sample", "ask", "items_of"),
    [
        ("newsapi-top-headlines", top_headlines, lambda body: body["articles"]),
        (
            "guardian-search",
            lambda sandbox: search(sandbox, **{"page-size": 200}),
            lambda body: body["response"]["results"],
        ),
    ],
)
def test_answers_are_laid_out_as_the_recorded_samples(sandbox, sample, ask, items_of):
    sandbox.config.stories_per_feed = 100  # every kind of story: removed, carried, without author, image or both
    recorded = load_sample(sample)

    body = ask(sandbox).json()

    assert shape(body) == shape(recorded)  # the envelope: lists are leaves
    assert len(items_of(body)) == 100
    assert {shape(item) for item in items_of(body)} <= {shape(item) for item in items_of(recorded)}


@pytest.mark.parametrize(
    ("sample", "answer"),
    [
        ("newsapi-error", lambda sandbox: top_headlines(sandbox, page=0)),
        ("guardian-error", lambda sandbox: search(sandbox, page=3)),
    ],
)
def test_errors_are_laid_out_as_the_recorded_samples(sandbox, sample, answer):
    response = answer(sandbox)

    assert response.status_code == 400
    assert shape(response.json()) == shape(load_sample(sample))


def test_a_key_the_sample_gains_comes_through_and_one_it_loses_stops_the_sandbox():
    layout = merged([{"a": 1, "nested": {"b": 2}}, {"nested": {"c": 3}, "new": "recorded"}])

    assert laid_out(layout, {"a": 5, "nested": {"b": 6}}) == {"a": 5, "nested": {"b": 6, "c": 3}, "new": "recorded"}
    with pytest.raises(ValueError, match="the sandbox makes renamed, which the recorded sample does not have"):
        laid_out(layout, {"a": 5, "renamed": 7})


def test_the_sandbox_imitates_every_upstream():
    assert set(SOURCES) == set(UPSTREAMS)


def test_guardian_merges_sections_newest_first(sandbox):
    results = search(sandbox, section="film|music").json()["response"]["results"]

    assert {r["sectionId"] for r in results} == {"film", "music"}
    dates = [r["webPublicationDate"] for r in results]
    assert dates == sorted(dates, reverse=True)


def test_guardian_filters_by_from_date(sandbox):
    sandbox.config.spacing = 3600 * 6  # four stories a day
    yesterday = (sandbox.now() - timedelta(days=1)).date().isoformat()

    total = search(sandbox, **{"from-date": yesterday}).json()["response"]["total"]

    assert 4 <= total <= 8


def test_guardian_says_when_a_page_is_beyond_the_last(sandbox):
    response = search(sandbox, page=3)

    assert response.status_code == 400
    assert response.json()["response"]["message"] == (
        "requested page is beyond the number of available pages, which is 1"
    )


def test_the_same_clock_gives_the_same_stories(sandbox):
    assert top_headlines(sandbox).json() == top_headlines(sandbox).json()


def test_a_moving_clock_brings_new_stories_on_top(sandbox):
    before = top_headlines(sandbox).json()["articles"]

    sandbox.config.clock += timedelta(seconds=sandbox.config.spacing * 2)
    after = top_headlines(sandbox).json()["articles"]

    assert after[2:] == before[:-2]


def test_every_guardian_story_has_a_mapped_section(sandbox):
    results = search(sandbox, section="", **{"page-size": 200}).json()["response"]["results"]

    assert {r["sectionId"] for r in results} <= set(guardian.SECTION_CATEGORIES)


@pytest.mark.parametrize(
    ("kind", "status", "content_type"),
    [
        ("401", 401, "application/json"),
        ("429", 429, "application/json"),
        ("429-no-retry-after", 429, "application/json"),
        ("500", 500, "application/json"),
        ("html", 502, "text/html"),
        ("malformed", 200, "application/json"),
    ],
)
def test_faults_answer_as_switched(sandbox, kind, status, content_type):
    sandbox.set_fault("guardian", kind)

    response = search(sandbox)

    assert response.status_code == status
    assert response.headers["Content-Type"].startswith(content_type)
    assert ("Retry-After" in response.headers) == (kind == "429")
    if kind == "malformed":
        with pytest.raises(ValueError, match=r"Expecting|Unterminated"):
            response.json()


def test_the_surrogate_and_oversized_faults_put_one_odd_item_first(sandbox):
    sandbox.set_fault("newsapi", "surrogate")
    sandbox.set_fault("guardian", "oversized")

    surrogate = top_headlines(sandbox)
    oversized = search(sandbox).json()["response"]["results"]

    assert b'"title": "Broken \\ud800"' in surrogate.content  # valid JSON, escaped as an upstream would send it
    assert surrogate.json()["articles"][0]["title"] == "Broken \ud800"
    title = oversized[0]["webTitle"]
    assert len(title.encode()) > 2**20
    assert len(set(title.split())) > 100_000  # different words: a full-text index keeps every one
    assert oversized[0]["webUrl"] == oversized[1]["webUrl"] + "-oversized"
    assert len(oversized) == 11


def test_the_gzip_bomb_and_the_huge_body_are_far_past_the_clients_bound(sandbox):
    sandbox.set_fault("newsapi", "gzip-bomb")
    sandbox.set_fault("guardian", "huge-body")

    bomb = requests.get(f"{sandbox.base_url}/v2/top-headlines", headers={"X-Api-Key": "k"}, stream=True, timeout=5)
    huge = search(sandbox)

    assert (bomb.status_code, bomb.headers["Content-Encoding"]) == (200, "gzip")
    compressed = bomb.raw.read(decode_content=False)
    assert len(compressed) < 2 * 2**20  # small on the wire, 1 GiB once inflated
    with gzip.GzipFile(fileobj=io.BytesIO(compressed)) as inflated:
        assert sum(len(chunk) for chunk in iter(lambda: inflated.read(2**20), b"")) == 2**30
    assert (huge.status_code, len(huge.content)) == (200, 25 * 2**20)
    assert huge.json()["response"]["status"] == "ok"


def test_a_fault_can_start_late_and_end(sandbox):
    sandbox.set_fault("newsapi", "500", after=1, times=2)

    assert [top_headlines(sandbox).status_code for _ in range(4)] == [200, 500, 500, 200]


def test_a_fault_on_one_source_leaves_the_other(sandbox):
    sandbox.set_fault("newsapi", "500")

    assert search(sandbox).status_code == 200


def test_an_unknown_fault_is_refused(sandbox):
    with pytest.raises(ValueError, match="unknown fault 'teapot'"):
        sandbox.set_fault("newsapi", "teapot")


def test_run_sandbox_refuses_a_bad_fault():
    completed = manage("run_sandbox", "--fault", "newsapi=teapot", DEBUG="true")

    assert completed.returncode == 2
    assert (
        "argument --fault: 'newsapi=teapot' is not SOURCE=KIND with SOURCE newsapi or guardian and KIND one of 401, "
        "429, 429-no-retry-after, 500, html, malformed, slow" in completed.stderr
    )


def test_run_sandbox_serves_until_stopped():
    with sandbox_process("--latency-ms", "0") as base_url:
        response = requests.get(f"{base_url}/search", params={"api-key": "k"}, timeout=5)

    assert base_url.startswith("http://127.0.0.1:")
    assert response.json()["response"]["status"] == "ok"
    with pytest.raises(requests.ConnectionError):
        requests.get(f"{base_url}/search", timeout=5)


@pytest.mark.parametrize(
    ("option", "value", "message"),
    [
        ("--port", "99999", "--port must be from 0 to 65535, not 99999."),
        ("--latency-ms", "nan", "--latency-ms (under 600000), --stories-per-feed and --newsapi-max-results must be"),
        ("--spacing", "0", "--spacing must be a number of seconds above 0."),
    ],
)
def test_run_sandbox_refuses_bad_numbers_in_one_line(option, value, message):
    completed = manage("run_sandbox", option, value, DEBUG="true")

    assert completed.returncode == 1
    assert completed.stderr.startswith(f"CommandError: {message}")
    assert "Traceback" not in completed.stderr
