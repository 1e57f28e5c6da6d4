"""Who may read the API: keys in either header, 401 otherwise, the per-key rate limit, and create_api_key."""

from datetime import UTC, datetime, timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from rest_framework.test import APIClient
from rest_framework_api_key.models import APIKey

from articles.api.cachestore import store
from articles.api.keys import client_for, hashed, key_state_name

pytestmark = pytest.mark.django_db

MISSING = "An API key is required: send it as 'Authorization: Bearer <key>' or 'X-Api-Key: <key>'."
INVALID = "The API key is unknown, revoked or expired."


def get(headers, path="/api/articles/"):
    return APIClient(headers=headers).get(path)


@pytest.mark.parametrize("header", ["Authorization", "X-Api-Key"])
def test_a_key_is_accepted_in_either_header(api_key, header):
    value = f"Bearer {api_key}" if header == "Authorization" else api_key

    assert get({header: value}).status_code == 200


@pytest.mark.parametrize("path", ["/api/articles/", "/api/articles/1/", "/api/sources/", "/api/categories/"])
def test_without_a_key_it_is_a_json_401(db, path):
    response = get({}, path)

    assert response.status_code == 401
    assert response.json() == {"detail": MISSING}
    assert response.headers["WWW-Authenticate"] == 'Bearer realm="api"'


@pytest.mark.parametrize(
    ("headers", "detail"),
    [
        ({"X-Api-Key": "abcdefgh.not-the-secret"}, INVALID),
        ({"Authorization": "Bearer nonsense"}, INVALID),
        ({"Authorization": "Bearer "}, MISSING),
    ],
)
def test_an_unknown_key_is_a_401(api_key, headers, detail):
    response = get(headers)

    assert response.status_code == 401
    assert response.json() == {"detail": detail}


def test_another_authorization_scheme_is_no_key(api_key):
    assert get({"Authorization": f"Token {api_key}"}).json() == {"detail": MISSING}


def test_a_revoked_key_is_a_401(api_key):
    APIKey.objects.update(revoked=True)

    assert get({"X-Api-Key": api_key}).json() == {"detail": INVALID}


def test_an_expired_key_is_a_401(api_key):
    APIKey.objects.update(expiry_date=datetime.now(UTC) - timedelta(seconds=1))

    assert get({"X-Api-Key": api_key}).json() == {"detail": INVALID}


@pytest.mark.parametrize("path", ["/health/", "/health/ready/", "/api/schema/", "/api/docs/"])
def test_health_schema_and_docs_need_no_key(db, path):
    assert APIClient().get(path).status_code == 200


def test_the_rate_limit_is_per_key_with_retry_after(api_key, rate_limit):
    rate_limit(3)
    other_key = APIKey.objects.create_key(name="other")[1]

    statuses = [get({"X-Api-Key": api_key}).status_code for _ in range(3)]
    over = get({"X-Api-Key": api_key})

    assert statuses == [200, 200, 200]
    assert over.status_code == 429
    assert 0 < int(over.headers["Retry-After"]) <= 60
    assert over.json()["detail"].startswith("Request was throttled. Expected available in")
    assert get({"X-Api-Key": other_key}).status_code == 200


def test_create_api_key_prints_the_key_alone_on_its_last_line_and_stores_only_its_hash(db):
    stdout, stderr = StringIO(), StringIO()

    call_command("create_api_key", "mobile app", stdout=stdout, stderr=stderr)

    key = stdout.getvalue().splitlines()[-1]
    stored = APIKey.objects.get(name="mobile app")
    assert key == stdout.getvalue().strip()
    assert key.startswith(stored.prefix + ".")
    assert key not in (stored.id, stored.hashed_key)
    assert stored.hashed_key.startswith("sha512$$")
    assert "cannot be shown again" in stderr.getvalue()
    assert get({"Authorization": f"Bearer {key}"}).status_code == 200


@pytest.mark.parametrize("name", ["", "   ", "x" * 51])
def test_create_api_key_refuses_a_bad_name(db, name):
    with pytest.raises(CommandError, match="NAME must be 1 to 50 characters"):
        call_command("create_api_key", name, stdout=StringIO(), stderr=StringIO())


def test_a_key_is_revoked_in_the_admin(admin_client, api_key):
    stored = APIKey.objects.get()

    response = admin_client.post(
        f"/admin/rest_framework_api_key/apikey/{stored.pk}/change/", {"name": stored.name, "revoked": "on"}
    )

    assert response.status_code == 302
    assert get({"X-Api-Key": api_key}).status_code == 401


def test_a_key_that_expires_while_remembered_is_refused_from_that_moment(db):
    expires = datetime.now(UTC).replace(microsecond=0) + timedelta(days=1)
    key = APIKey.objects.create_key(name="short-lived", expiry_date=expires)[1]
    assert get({"X-Api-Key": key}).status_code == 200  # now remembered in the cache, with its expiry
    digest = hashed(key)
    state = store().get(key_state_name(digest))

    assert client_for(key, digest, state, expires.timestamp() - 1) is not None
    assert client_for(key, digest, state, expires.timestamp()) is None
