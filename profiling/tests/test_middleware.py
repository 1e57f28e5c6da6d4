"""Every response says how long it took, in two headers and one log line."""

import re

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("path", "status"), [("/health/", 200), ("/api/articles/", 401), ("/nowhere/", 404)])
def test_every_response_carries_its_time(path, status):
    response = Client().get(path)

    assert response.status_code == status
    milliseconds = re.fullmatch(r"(\d+\.\d\d)ms", response.headers["X-Process-Time"]).group(1)
    assert response.headers["Server-Timing"] == f"app;dur={milliseconds}"


def test_each_request_is_one_log_line_with_the_cache_state(api_client, log_output):
    api_client.get("/api/articles/", {"limit": 5})
    api_client.get("/api/articles/", {"limit": 5})
    Client().post("/health/")

    lines = [line for line in log_output.getvalue().splitlines() if "profiling.requests" in line]
    assert len(lines) == 3
    assert re.search(r"profiling\.requests: GET /api/articles/ 200 \d+\.\d\dms cache=MISS$", lines[0])
    assert re.search(r"profiling\.requests: GET /api/articles/ 200 \d+\.\d\dms cache=HIT$", lines[1])
    assert re.search(r"profiling\.requests: POST /health/ 405 \d+\.\d\dms cache=-$", lines[2])
