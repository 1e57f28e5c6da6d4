"""With DEBUG off (as under pytest), no error reaches an API client as an HTML page."""

import pytest
from django.test import Client
from django.test.client import RequestFactory

from newsproject.api.errors import server_error

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("path", ["/nothing-here", "/api/nothing-here/", "/api/articles/1/extra/"])
def test_an_unknown_address_is_a_json_404(path):
    response = Client().get(path)

    assert response.status_code == 404
    assert response.json() == {"detail": "Not found: there is nothing at this address."}


def test_a_host_the_service_does_not_answer_to_is_a_json_400():
    response = Client(HTTP_HOST="evil.example").get("/api/articles/")

    assert response.status_code == 400
    assert response.json()["detail"].startswith("Bad request: it could not be understood")


def test_a_server_error_is_json():
    response = server_error(RequestFactory().get("/api/articles/"))

    assert response.status_code == 500
    assert b'"detail": "Server error' in response.content


def test_the_admin_keeps_its_html_pages(admin_client):
    response = admin_client.get("/admin/no-such-page/")

    assert response.status_code == 404
    assert response.headers["Content-Type"].startswith("text/html")
