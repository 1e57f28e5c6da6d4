"""The admin login's throttle (django-axes, newsproject/admin_login.py): a user is locked out per client address,
and a refused login hashes no password, which is what kept gunicorn's sync workers busy."""

from io import StringIO

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.hashers import MD5PasswordHasher
from django.contrib.auth.models import User
from django.core.management import call_command
from django.db.models import F
from django.test import Client

ADDRESS = "198.51.100.7"
PASSWORD = "the-right-password"
WRONG = "not-the-password"


class CountingHasher(MD5PasswordHasher):
    """A real hasher (MD5: fast, for tests only) that counts the passwords it hashes, to store or to check one."""

    algorithm = "counting_md5"
    hashed = 0

    def encode(self, password, salt):
        CountingHasher.hashed += 1
        return super().encode(password, salt)


@pytest.fixture
def admin_user(db, settings):
    settings.PASSWORD_HASHERS = ["tests.test_admin_login.CountingHasher"]
    return User.objects.create_superuser("admin", password=PASSWORD)


@pytest.fixture
def limit(settings):
    return settings.AXES_FAILURE_LIMIT


@pytest.fixture
def behind_one_proxy(settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 1}


def log_in(username="admin", password=WRONG, address=ADDRESS, forwarded_for=None):
    headers = {"X-Forwarded-For": forwarded_for} if forwarded_for else {}
    client = Client(REMOTE_ADDR=address, headers=headers)
    return client.post("/admin/login/", {"username": username, "password": password, "next": "/admin/"})


def fail(times, **where):
    return [log_in(**where).status_code for _ in range(times)]


def test_it_locks_the_user_out_from_that_address_at_the_failure_limit(admin_user, limit, settings):
    assert fail(limit - 1) == [200] * (limit - 1)  # the login form again, with its error

    locked = log_in()

    assert locked.status_code == 429
    assert "Too many failed logins for “admin” from your address." in locked.text
    assert f"for {settings.ADMIN_LOCKOUT_MINUTES} minutes: try again after that." in locked.text
    assert locked["Retry-After"] == str(settings.ADMIN_LOCKOUT_MINUTES * 60)
    assert log_in(password=PASSWORD).status_code == 429  # the right password too, while it lasts


def test_the_user_from_another_address_and_another_user_from_this_one_still_log_in(admin_user, limit):
    User.objects.create_superuser("editor", password=PASSWORD)
    fail(limit)

    assert log_in(password=PASSWORD).status_code == 429
    assert log_in(password=PASSWORD, address="198.51.100.8").status_code == 302
    assert log_in("editor", PASSWORD).status_code == 302


def test_a_refused_login_hashes_no_password(admin_user, limit):
    CountingHasher.hashed = 0
    fail(limit)
    hashed_until_the_lockout = CountingHasher.hashed

    fail(3)
    log_in(password=PASSWORD)

    assert hashed_until_the_lockout == limit  # one hash per wrong login that was let through
    assert CountingHasher.hashed == hashed_until_the_lockout


def test_a_refused_login_is_not_counted(admin_user, limit):
    fail(limit + 3)

    assert AccessAttempt.objects.get().failures_since_start == limit


def test_the_lockout_lifts_after_the_cool_off(admin_user, limit, settings):
    fail(limit)
    assert log_in(password=PASSWORD).status_code == 429

    AccessAttempt.objects.update(attempt_time=F("attempt_time") - settings.AXES_COOLOFF_TIME)

    assert log_in(password=PASSWORD).status_code == 302


@pytest.mark.parametrize(
    ("command", "arguments"),
    [
        ("axes_reset", []),
        ("axes_reset_username", ["admin"]),
        ("axes_reset_ip", [ADDRESS]),
        ("axes_reset_ip_username", [ADDRESS, "admin"]),
    ],
)
def test_an_operator_lifts_a_lockout_at_once(admin_user, limit, command, arguments):
    fail(limit)

    call_command(command, *arguments, stdout=StringIO())

    assert log_in(password=PASSWORD).status_code == 302


def test_a_good_login_forgets_the_failures_before_it(admin_user, limit):
    fail(limit - 1)
    assert log_in(password=PASSWORD).status_code == 302

    assert fail(limit - 1) == [200] * (limit - 1)


def test_without_a_proxy_x_forwarded_for_is_ignored(admin_user, limit):
    statuses = [log_in(forwarded_for=f"203.0.113.{n}").status_code for n in range(limit)]

    assert statuses[-1] == 429  # one client however many addresses it claims
    assert AccessAttempt.objects.get().ip_address == ADDRESS


def test_behind_one_proxy_the_address_it_forwards_is_the_client(admin_user, limit, behind_one_proxy):
    fail(limit, forwarded_for="203.0.113.1")

    assert log_in(password=PASSWORD, forwarded_for="203.0.113.1").status_code == 429
    assert log_in(password=PASSWORD, forwarded_for="203.0.113.2").status_code == 302  # same proxy, another client
    assert AccessAttempt.objects.get().ip_address == "203.0.113.1"


def test_a_forwarded_header_naming_no_address_counts_against_the_connection(admin_user, limit, behind_one_proxy):
    statuses = fail(limit, forwarded_for="not-an-address")

    assert statuses[-1] == 429
    assert AccessAttempt.objects.get().ip_address == ADDRESS
