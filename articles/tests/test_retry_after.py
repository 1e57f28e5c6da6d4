"""Retry-After, as the upstreams and the feeds read it (articles.upstreams.base.retry_after_seconds)."""

from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import pytest

from articles.upstreams.base import retry_after_seconds


@pytest.mark.parametrize(
    ("value", "seconds"),
    [("120", 120.0), (" 7 ", 7.0), ("Thu, 01 Jan 2026 00:00:00 GMT", 0.0), ("soon", None), ("-5", None), ("", None)],
)
def test_retry_after_is_read_as_seconds_or_an_http_date(value, seconds):
    assert retry_after_seconds({"Retry-After": value}) == seconds


def test_retry_after_as_an_http_date_to_come_is_the_seconds_until_then():
    in_an_hour = format_datetime(datetime.now(UTC) + timedelta(hours=1), usegmt=True)

    assert 3590 <= retry_after_seconds({"Retry-After": in_an_hour}) <= 3600
