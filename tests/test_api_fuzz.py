"""Fuzzing the API from its own OpenAPI schema: whatever a client sends, no 5xx and no HTML, only JSON."""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.generation import GenerationMode

from newsproject.wsgi import application

# Loaded when the tests are collected: producing the schema needs neither the database nor the cache.
schema = schemathesis.openapi.from_wsgi("/api/schema/", application)
# Input that breaks the schema too (unknown values, wrong types, extra parameters): that is where 5xx hide.
schema.config.generation.update(modes=list(GenerationMode), allow_extra_parameters=True)


@pytest.fixture
def wsgi_requests(db, settings, make_articles):
    """Requests straight to the WSGI application, with some articles to find and no rate limit in the way."""
    make_articles(5)
    settings.API_RATE_LIMIT = "100000/min"
    # As Django's test client does: a request must not close the test's database connection.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@schema.parametrize()
@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
def test_no_input_makes_the_api_fail(case, wsgi_requests, api_key):
    response = case.call_and_validate(headers={"X-Api-Key": api_key}, checks=[not_a_server_error])

    if response.status_code != 304:  # If-None-Match: * (or a current ETag) is answered without a body
        assert response.headers["content-type"][0].startswith("application/json"), response.text[:200]
