import pytest

from feeds.services.http import FetchError, check_url, fetch, new_session


def test_it_refuses_file_urls_even_when_private_addresses_are_allowed(settings):
    settings.FEEDS_ALLOW_PRIVATE = True

    with pytest.raises(FetchError, match="Only http and https URLs"):
        check_url("file:///etc/passwd")


@pytest.mark.parametrize(
    "url", ["http://127.0.0.1:8001/feed", "http://localhost/feed", "http://[::1]/", "http://10.1.2.3/"]
)
def test_it_refuses_private_addresses_by_default(settings, url):
    settings.FEEDS_ALLOW_PRIVATE = False

    with pytest.raises(FetchError, match=r"non-public address .*FEEDS_ALLOW_PRIVATE"):
        check_url(url)


def test_it_sends_the_validators_and_gets_a_304(feed_sandbox, settings):
    url = f"{feed_sandbox.base_url}/feeds/3.rss"
    session = new_session()

    first = fetch(session, url)
    second = fetch(session, url, etag=first.etag, last_modified=first.last_modified)

    assert (first.status, second.status, second.body) == (200, 304, b"")
    request = feed_sandbox.requests_to("feeds")[-1]
    assert request.headers["If-None-Match"] == first.etag
    assert request.headers["User-Agent"] == settings.FEEDS_USER_AGENT


def test_it_follows_a_permanent_redirect_and_says_where(feed_sandbox):
    fetched = fetch(new_session(), f"{feed_sandbox.base_url}/feeds/fault/moved")

    assert fetched.moved_to == f"{feed_sandbox.base_url}/feeds/1.rss"
    assert fetched.requests_made == 2


def test_it_reads_retry_after(feed_sandbox):
    with pytest.raises(FetchError) as error:
        fetch(new_session(), f"{feed_sandbox.base_url}/feeds/fault/429")

    assert (error.value.status, error.value.retry_after) == (429, 3600)


def test_it_stops_reading_past_the_size_bound(feed_sandbox, settings):
    settings.FEEDS_MAX_BYTES = 100_000

    with pytest.raises(FetchError, match="larger than 100,000 bytes"):
        fetch(new_session(), f"{feed_sandbox.base_url}/feeds/fault/huge")
