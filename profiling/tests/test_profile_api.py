"""`make profile`'s command refuses what it cannot measure, in one line (the measurement itself is no test)."""

import sys
from pathlib import Path

import pytest

from conftest import manage


@pytest.mark.parametrize(
    ("environ", "message"),
    [
        ({}, "profile_api measures the production set-up: set DATABASE_URL=postgres://... and REDIS_URL."),
        (
            {
                "PATH": str(Path(sys.executable).parent),  # no hey on this PATH
                "DATABASE_URL": "postgres://news@127.0.0.1:1/news",
                "REDIS_URL": "redis://127.0.0.1:1/0",
            },
            "hey is not installed: apt-get install hey (Debian, Ubuntu) or brew install hey (macOS).",
        ),
    ],
)
def test_it_says_what_is_missing(environ, message):
    completed = manage("profile_api", DEBUG="true", **environ)

    assert completed.returncode == 1
    assert completed.stderr.strip() == f"CommandError: {message}"


def test_it_refuses_a_bad_duration():
    completed = manage(
        "profile_api",
        "--duration",
        "0",
        DEBUG="true",
        DATABASE_URL="postgres://news@127.0.0.1:1/news",
        REDIS_URL="redis://127.0.0.1:1/0",
    )

    assert (
        completed.stderr.strip()
        == "CommandError: --duration, --concurrency and --rounds must be at least 1, --warm-up at least 0."
    )
