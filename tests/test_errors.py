"""With DEBUG off (as under pytest), no error reaches an API client as an HTML page."""

import json

import pytest
from django.test import Client

from articles import selectors

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("path", ["/nothing-here", "/api/nothing-here/", "/api/articles/1/extra/"])
def test_an_unknown_address_is_a_json_404(path):
    response = Client().get(path)

    assert response.status_code == 404
    assert response.json() == {"detail": "Not found: there is nothing at this address."}


def test_a_host_the_service_does_not_answer_to_is_a_json_400_logged_in_one_line(log_output):
    response = Client(HTTP_HOST="evil.example").get("/api/articles/")

    assert response.status_code == 400
    assert response.json()["detail"].startswith("Bad request: it could not be understood")
    lines = [line for line in log_output.getvalue().splitlines() if "profiling.requests" not in line]
    assert len(lines) == 1, lines
    assert "Invalid HTTP_HOST header: 'evil.example'" in lines[0]


@pytest.mark.parametrize("method", ["options", "post", "delete"])
def test_the_docs_answer_other_methods_than_get_with_a_json_405(method):
    response = getattr(Client(), method)("/api/docs/")

    assert response.status_code == 405
    assert response.json() == {"detail": f'Method "{method.upper()}" not allowed.'}
    assert response["Allow"] == "GET, HEAD"


def test_a_server_error_reaches_the_client_as_json(api_key, monkeypatch):
    def broken():
        raise RuntimeError("a bug")

    monkeypatch.setattr(selectors, "article_list", broken)  # our own code failing, as a bug would

    response = Client(raise_request_exception=False).get("/api/articles/", HTTP_X_API_KEY=api_key)

    assert response.status_code == 500
    assert response.headers["Content-Type"] == "application/json"
    assert response.json() == {"detail": "Server error: the request could not be answered. It has been logged."}


def test_the_schema_in_an_unknown_format_is_a_json_404():
    response = Client().get("/api/schema/", {"format": "xml"})

    assert response.status_code == 404
    assert response.headers["Content-Type"] == "application/vnd.oai.openapi+json"  # JSON, in OpenAPI's own type
    assert json.loads(response.content) == {"detail": "Not found."}


def test_the_admin_keeps_its_html_pages(admin_client):
    response = admin_client.get("/admin/no-such-page/")

    assert response.status_code == 404
    assert response.headers["Content-Type"].startswith("text/html")


@pytest.mark.parametrize("path", ["/api/nothing-here/", "/api/articles/1/extra/"])
@pytest.mark.parametrize("method", ["get", "post"])
def test_an_unknown_api_address_is_a_json_404_with_debug_on_too(settings, path, method):
    settings.DEBUG = True  # as under make run, where Django would answer its HTML debug page

    response = getattr(Client(enforce_csrf_checks=True), method)(path)

    assert response.status_code == 404
    assert response.json() == {"detail": "Not found: there is nothing at this address."}
