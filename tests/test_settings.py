"""Settings as an operator meets them: every variable that can be wrong stops start-up with one sentence."""

import secrets

import pytest
from django.conf import settings
from django.core.cache import cache

from conftest import manage

VALID = {"DEBUG": "false", "SECRET_KEY": secrets.token_urlsafe(50)}
PROBE = (
    "from django.conf import settings as s; "
    "print(s.DATABASES['default']['ENGINE'], s.CACHES['default']['BACKEND'], s.DEBUG, "
    "s.NEWSAPI_BASE_URL, s.GUARDIAN_BASE_URL, s.NEWSAPI_DAILY_REQUESTS, s.GUARDIAN_DAILY_REQUESTS, "
    "s.GUARDIAN_REQUESTS_PER_SECOND, s.GUARDIAN_PAGE_SIZE)"
)


def test_defaults_run_on_a_bare_machine():
    completed = manage("shell", "--no-imports", "-c", PROBE, **VALID)

    assert completed.returncode == 0, completed.stderr
    assert completed.stdout.split() == [
        "django.db.backends.sqlite3",
        "django.core.cache.backends.locmem.LocMemCache",
        "False",
        "https://newsapi.org",
        "https://content.guardianapis.com",
        "100",
        "500",
        "1.0",
        "200",
    ]


def test_database_and_redis_urls_choose_postgresql_and_django_redis():
    completed = manage(
        "shell",
        "--no-imports",
        "-c",
        PROBE,
        DATABASE_URL="postgres://news@db.example:5432/news",
        REDIS_URL="redis://cache.example:6379/0",
        **VALID,
    )

    assert completed.stdout.split()[:2] == ["django.db.backends.postgresql", "django_redis.cache.RedisCache"]


def test_without_secret_key_and_debug_off_it_refuses_to_start():
    completed = manage("check", DEBUG="false")

    assert completed.returncode == 1
    assert completed.stderr.startswith("Configuration error: SECRET_KEY is not set: set it to a long random string")
    assert len(completed.stderr.strip().splitlines()) == 1


def test_debug_without_secret_key_starts_with_a_key_of_its_own():
    first = manage(
        "shell", "--no-imports", "-c", "from django.conf import settings; print(settings.SECRET_KEY)", DEBUG="true"
    )
    second = manage(
        "shell", "--no-imports", "-c", "from django.conf import settings; print(settings.SECRET_KEY)", DEBUG="true"
    )

    assert first.returncode == 0, first.stderr
    assert len(first.stdout.strip()) >= 50
    assert first.stdout != second.stdout


SHOW_KEY = "from django.conf import settings; print(settings.SECRET_KEY)"


def test_secret_key_file_gives_the_key(tmp_path):
    key = secrets.token_urlsafe(50)
    (tmp_path / "secret_key").write_text(key + "\n")

    completed = manage(
        "shell", "--no-imports", "-c", SHOW_KEY, DEBUG="false", SECRET_KEY_FILE=str(tmp_path / "secret_key")
    )

    assert completed.returncode == 0, completed.stderr
    assert completed.stdout.strip() == key


def test_secret_key_wins_over_secret_key_file(tmp_path):
    missing = tmp_path / "missing"

    completed = manage("shell", "--no-imports", "-c", SHOW_KEY, **VALID, SECRET_KEY_FILE=str(missing))

    assert completed.returncode == 0, completed.stderr
    assert completed.stdout.strip() == VALID["SECRET_KEY"]


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (None, "which cannot be read (No such file or directory)."),
        (b"", "which is empty."),
        (b"\xff\xfe", "which cannot be read (not text)."),
    ],
)
def test_an_unusable_secret_key_file_is_one_sentence(tmp_path, content, reason):
    path = tmp_path / "secret_key"
    if content is not None:
        path.write_bytes(content)

    completed = manage("check", DEBUG="false", SECRET_KEY_FILE=str(path))

    assert completed.returncode == 1
    assert completed.stderr.strip() == f"Configuration error: SECRET_KEY_FILE names {path}, {reason}"


@pytest.mark.parametrize(
    ("variable", "value", "message"),
    [
        ("DEBUG", "ture", "DEBUG must be true or false, not 'ture'."),
        ("NEWSAPI_DAILY_REQUESTS", "lots", "NEWSAPI_DAILY_REQUESTS must be a whole number of at least 1, not 'lots'."),
        ("NEWSAPI_DAILY_REQUESTS", "0", "NEWSAPI_DAILY_REQUESTS must be a whole number of at least 1, not '0'."),
        ("GUARDIAN_DAILY_REQUESTS", "2.5", "GUARDIAN_DAILY_REQUESTS must be a whole number of at least 1, not '2.5'."),
        (
            "GUARDIAN_REQUESTS_PER_SECOND",
            "-1",
            "GUARDIAN_REQUESTS_PER_SECOND must be a number of at least 0, not '-1'.",
        ),
        (
            "GUARDIAN_REQUESTS_PER_SECOND",
            "nan",
            "GUARDIAN_REQUESTS_PER_SECOND must be a number of at least 0, not 'nan'.",
        ),
        ("GUARDIAN_PAGE_SIZE", "500", "GUARDIAN_PAGE_SIZE must be a whole number from 1 to 200, not '500'."),
        ("UPSTREAM_TIMEOUT", "0", "UPSTREAM_TIMEOUT must be a number of at least 0.1, not '0'."),
        ("UPSTREAM_SOURCE_TIMEOUT", "soon", "UPSTREAM_SOURCE_TIMEOUT must be a number of at least 1, not 'soon'."),
        ("UPSTREAM_RETRIES", "-2", "UPSTREAM_RETRIES must be a whole number of at least 0, not '-2'."),
        ("UPSTREAM_BACKOFF", "x", "UPSTREAM_BACKOFF must be a number of at least 0, not 'x'."),
        ("NEWSAPI_BASE_URL", "newsapi.org", "NEWSAPI_BASE_URL must be an http:// or https:// URL, not 'newsapi.org'."),
        ("GUARDIAN_BASE_URL", "ftp://x", "GUARDIAN_BASE_URL must be an http:// or https:// URL, not 'ftp://x'."),
        ("DATABASE_URL", "mysql://u@h/db", "DATABASE_URL must be a postgres://user@host:5432/name (or sqlite:///path)"),
        ("DATABASE_URL", "nonsense", "DATABASE_URL must be a postgres://user@host:5432/name (or sqlite:///path)"),
        ("DATABASE_URL", "postgres://u@h:abc/db", "DATABASE_URL must be a postgres://user@host:5432/name"),
        ("DATABASE_URL", "postgres://u@[::1/db", "DATABASE_URL must be a postgres://user@host:5432/name"),
        ("NEWSAPI_BASE_URL", "http://[::1", "NEWSAPI_BASE_URL must be an http:// or https:// URL, not 'http://[::1'."),
        ("REDIS_URL", "redis://h:port/0", "REDIS_URL must be a redis://, rediss:// or unix:// URL"),
        ("NEWSAPI_MAX_RESULTS", "-1", "NEWSAPI_MAX_RESULTS must be a whole number of at least 0, not '-1'."),
        (
            "GUARDIAN_REQUESTS_PER_SECOND",
            "1e-300",
            "GUARDIAN_REQUESTS_PER_SECOND must be 0 (no pacing) or at least 0.001.",
        ),
        ("REDIS_URL", "http://cache:6379", "REDIS_URL must be a redis://, rediss:// or unix:// URL"),
        (
            "DATABASE_CONN_MAX_AGE",
            "forever",
            "DATABASE_CONN_MAX_AGE must be a whole number of at least 0, not 'forever'.",
        ),
        ("HTTPS_ONLY", "maybe", "HTTPS_ONLY must be true or false, not 'maybe'."),
        ("SILK_ENABLED", "sometimes", "SILK_ENABLED must be true or false, not 'sometimes'."),
        ("SILK_INTERCEPT_PERCENT", "150", "SILK_INTERCEPT_PERCENT must be a number from 0 to 100, not '150'."),
        (
            "SILK_MAX_RECORDED_REQUESTS",
            "0",
            "SILK_MAX_RECORDED_REQUESTS must be a whole number of at least 1, not '0'.",
        ),
        ("CACHE_TTL", "5m", "CACHE_TTL must be a whole number from 0 to 86400, not '5m'."),
        ("CACHE_TTL", "-1", "CACHE_TTL must be a whole number from 0 to 86400, not '-1'."),
        ("API_RATE_LIMIT", "600 per minute", "API_RATE_LIMIT must look like 600/min (per s, min, hour or day)"),
        ("API_AUTH_FAILURE_LIMIT", "0/min", "API_AUTH_FAILURE_LIMIT must look like 60/min (per s, min, hour or day)"),
        ("NUM_PROXIES", "-1", "NUM_PROXIES must be a whole number from 0 to 10, not '-1'."),
        ("ADMIN_LOGIN_FAILURE_LIMIT", "0", "ADMIN_LOGIN_FAILURE_LIMIT must be a whole number from 1 to 1000"),
        ("ADMIN_LOGIN_FAILURE_LIMIT", "five", "ADMIN_LOGIN_FAILURE_LIMIT must be a whole number from 1 to 1000"),
        ("ADMIN_LOCKOUT_MINUTES", "0", "ADMIN_LOCKOUT_MINUTES must be a whole number from 1 to 10080, not '0'."),
        ("ADMIN_LOCKOUT_MINUTES", "1h", "ADMIN_LOCKOUT_MINUTES must be a whole number from 1 to 10080, not '1h'."),
        ("LOG_LEVEL", "loud", "LOG_LEVEL must be one of DEBUG, INFO, WARNING, ERROR, CRITICAL, not 'LOUD'."),
    ],
)
def test_a_wrong_setting_stops_start_up_with_one_sentence(variable, value, message):
    completed = manage("check", **{**VALID, variable: value})

    assert completed.returncode == 1
    assert completed.stderr.startswith(f"Configuration error: {message}")
    assert len(completed.stderr.strip().splitlines()) == 1, completed.stderr


def test_a_unix_socket_redis_url_is_accepted():
    completed = manage("shell", "--no-imports", "-c", PROBE, REDIS_URL="unix:///run/redis/redis.sock", **VALID)

    assert completed.returncode == 0, completed.stderr


def test_an_empty_variable_means_its_default():
    completed = manage("shell", "--no-imports", "-c", PROBE, NEWSAPI_DAILY_REQUESTS="", GUARDIAN_BASE_URL="", **VALID)

    assert completed.stdout.split()[4:6] == ["https://content.guardianapis.com", "100"]


def test_the_production_settings_pass_the_deploy_checks():
    completed = manage(
        "check", "--deploy", "--fail-level", "WARNING", HTTPS_ONLY="true", ALLOWED_HOSTS="news.example", **VALID
    )

    assert completed.returncode == 0, completed.stderr
    assert "no issues" in completed.stdout


def test_the_redis_cache_round_trips():
    if not settings.REDIS_URL:
        pytest.skip("needs Redis: set REDIS_URL=redis://... to run it")
    cache.set("settings-test", {"a": 1}, 5)

    assert cache.get("settings-test") == {"a": 1}
    assert settings.CACHES["default"]["BACKEND"] == "django_redis.cache.RedisCache"
