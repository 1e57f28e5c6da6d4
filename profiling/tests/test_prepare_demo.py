from io import StringIO

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.http import HttpRequest
from rest_framework.test import APIClient
from rest_framework_api_key.models import APIKey

pytestmark = pytest.mark.django_db


def prepare():
    stdout = StringIO()
    call_command("prepare_demo", stdout=stdout)
    return stdout.getvalue().splitlines()


def test_it_gives_a_working_admin_password_and_api_key():
    password, key = prepare()

    # With a request, as django-axes (the admin login's throttle) requires of every authenticate().
    assert authenticate(HttpRequest(), username="admin", password=password).is_superuser
    assert APIClient(headers={"Authorization": f"Bearer {key}"}).get("/api/articles/").status_code == 200


def test_each_run_revokes_the_previous_demo_key():
    _, first = prepare()
    _, second = prepare()

    assert APIClient(headers={"X-Api-Key": first}).get("/api/articles/").status_code == 401
    assert APIClient(headers={"X-Api-Key": second}).get("/api/articles/").status_code == 200
    assert APIKey.objects.filter(revoked=False).count() == 1
