"""Requests without a valid key, counted per client address: past API_AUTH_FAILURE_LIMIT, a 429 that costs no
database query, and one log line per client and window."""

import pytest
from django.test import Client

from articles.api.authentication import KEY_INVALID

pytestmark = pytest.mark.django_db

REFUSED = "Too many requests without a valid API key from this address (API_AUTH_FAILURE_LIMIT): try again in"


def get(key=None, address="203.0.113.7", **headers):
    if key is not None:
        headers["HTTP_X_API_KEY"] = key
    return Client(REMOTE_ADDR=address).get("/api/articles/", **headers)


def made_up(n):
    return f"madeup{n:04}.{'x' * 32}"


def test_made_up_keys_past_the_limit_get_429_with_retry_after(auth_failure_limit):
    auth_failure_limit(3)

    answers = [get(made_up(n)) for n in range(4)]

    assert [answer.status_code for answer in answers] == [401, 401, 401, 429]
    assert answers[0].json() == {"detail": KEY_INVALID}
    assert answers[3].json()["detail"].startswith(REFUSED)
    assert 0 < int(answers[3].headers["Retry-After"]) <= 60


def test_past_the_limit_a_made_up_key_costs_no_database_query(auth_failure_limit, django_assert_num_queries):
    auth_failure_limit(2)
    get(made_up(1)), get(made_up(2))

    with django_assert_num_queries(0):
        assert get(made_up(3)).status_code == 429


def test_requests_without_a_key_count_too(auth_failure_limit):
    auth_failure_limit(2)

    assert [get().status_code for _ in range(3)] == [401, 401, 429]


def test_a_good_key_from_that_address_and_other_addresses_are_still_served(api_key, auth_failure_limit):
    auth_failure_limit(2)
    assert get(api_key).status_code == 200  # its state is now remembered: it needs no database query
    for n in range(3):
        get(made_up(n))

    assert get(made_up(9)).status_code == 429
    assert get(api_key).status_code == 200
    assert get(made_up(9), address="198.51.100.1").status_code == 401


def test_one_log_line_per_client_and_window_not_per_request(auth_failure_limit, log_output):
    auth_failure_limit(5)

    for n in range(8):
        get(made_up(n))
    get(made_up(1), address="198.51.100.1")

    lines = [line for line in log_output.getvalue().splitlines() if "WARNING" in line]
    assert len(lines) == 2, lines
    assert "API request refused from 203.0.113.7: no valid API key." in lines[0]
    assert "past 5 (API_AUTH_FAILURE_LIMIT) they get 429" in lines[0]
    assert "198.51.100.1" in lines[1]


def test_x_forwarded_for_is_not_trusted_without_a_proxy(auth_failure_limit):
    auth_failure_limit(2)

    statuses = [get(made_up(n), HTTP_X_FORWARDED_FOR=f"192.0.2.{n}").status_code for n in range(3)]

    assert statuses == [401, 401, 429]


def test_behind_a_proxy_the_client_is_the_address_it_forwards(auth_failure_limit, settings):
    auth_failure_limit(2)
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 1}
    proxy = "10.0.0.2"

    first = [get(made_up(n), address=proxy, HTTP_X_FORWARDED_FOR="192.0.2.1").status_code for n in range(3)]
    # A client's own X-Forwarded-For comes before the address the proxy appends: the proxy's is the one read.
    second = get(made_up(9), address=proxy, HTTP_X_FORWARDED_FOR="192.0.2.1, 192.0.2.2").status_code

    assert first == [401, 401, 429]
    assert second == 401


def test_an_ipv6_client_is_its_64(auth_failure_limit):
    auth_failure_limit(2)

    statuses = [get(made_up(n), address=f"2001:db8:1:2::{n + 1}").status_code for n in range(3)]

    assert statuses == [401, 401, 429]
    assert get(made_up(9), address="2001:db8:1:3::1").status_code == 401
