"""django-silk, switched on by SILK_ENABLED: staff only, sampled, and never storing an API key."""

import json

import pytest
from django.test import Client

from conftest import manage

PROBE = """
import json
from django.contrib.auth.models import User
from django.core.management import call_command
from django.test import Client
from rest_framework_api_key.models import APIKey
from silk.models import Request

call_command("migrate", verbosity=0)
_, key = APIKey.objects.create_key(name="probe")
User.objects.create_user("staff", password="pw", is_staff=True)
User.objects.create_user("reader", password="pw")
Client().get("/api/articles/", HTTP_AUTHORIZATION=f"Bearer {key}", HTTP_X_API_KEY=key)
Client().get("/health/")
Client().get("/health/ready/")
recorded = list(Request.objects.values_list("path", "encoded_headers"))

def silk_page(username):
    client = Client()
    if username:
        client.force_login(User.objects.get(username=username))
    response = client.get("/silk/")
    return [response.status_code, response.headers.get("Location", "")]

print(json.dumps({
    "key": key,
    "paths": [path for path, _ in recorded],
    "headers": [json.loads(headers) for _, headers in recorded],
    "anonymous": silk_page(None),
    "reader": silk_page("reader"),
    "staff": silk_page("staff"),
}))
"""


def probe(tmp_path, **environ):
    completed = manage(
        "shell",
        "--no-imports",
        "-c",
        PROBE,
        DEBUG="true",
        SILK_ENABLED="true",
        ALLOWED_HOSTS="testserver",
        DATABASE_URL=f"sqlite:///{tmp_path}/db.sqlite3",
        **environ,
    )
    assert completed.returncode == 0, completed.stderr
    return json.loads(completed.stdout)


def test_silk_records_api_requests_with_the_key_masked_and_not_health_checks(tmp_path):
    seen = probe(tmp_path)

    assert seen["paths"] == ["/api/articles/"]
    (headers,) = seen["headers"]
    assert headers["authorization"] == headers["x-api-key"] == "********************"
    assert seen["key"] not in json.dumps(seen["headers"])


def test_only_staff_see_silk(tmp_path):
    seen = probe(tmp_path)

    assert seen["anonymous"] == [302, "/admin/login/?next=/silk/"]
    assert seen["reader"][0] == 403
    assert seen["staff"][0] == 200


def test_the_sample_can_be_nothing(tmp_path):
    assert probe(tmp_path, SILK_INTERCEPT_PERCENT="0")["paths"] == []


@pytest.mark.django_db
def test_silk_is_off_by_default():
    assert Client().get("/silk/").status_code == 404
