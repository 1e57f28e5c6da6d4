"""deploy/gunicorn.conf.py as the image will run it: serves, logs each request's time, stops cleanly on SIGTERM."""

import re
import runpy
import secrets

import pytest
import requests
from django.conf import settings

from profiling.gunicorn_process import GunicornProcess


def environ(tmp_path, **more):
    return {
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "DATABASE_URL": f"sqlite:///{tmp_path}/db.sqlite3",
        "GUNICORN_WORKERS": "1",
        **more,
    }


def test_it_serves_logs_each_request_with_its_time_and_stops_on_sigterm(tmp_path):
    with GunicornProcess(tmp_path, environ(tmp_path)) as server:
        response = requests.get(f"{server.base_url}/health/", timeout=10)

    assert response.json() == {"status": "ok"}
    assert server.returncode == 0
    access_line = next(line for line in server.stdout.splitlines() if "/health/" in line)
    assert '"GET /health/ HTTP/1.1" 200' in access_line
    assert access_line.endswith("ms")
    assert "Handling signal: term" in server.stderr


def test_a_bad_number_stops_it_with_one_sentence(tmp_path):
    server = GunicornProcess(tmp_path, environ(tmp_path, GUNICORN_WORKERS="many"))
    with pytest.raises(RuntimeError, match="gunicorn exited"), server:
        pass

    assert server.returncode != 0
    assert "Configuration error: GUNICORN_WORKERS must be a whole number of at least 1, not 'many'." in server.stderr
    assert "Traceback" not in server.stderr


def test_the_bare_command_listens_on_this_machine_only_unless_told(monkeypatch):
    """gunicorn's sync workers belong behind a buffering proxy: the bare command is not reachable from outside
    unless HOST says so (the image sets HOST=0.0.0.0, behind compose's nginx or Kubernetes' ingress)."""
    monkeypatch.delenv("HOST", raising=False)
    monkeypatch.delenv("PORT", raising=False)

    config = runpy.run_path(str(settings.BASE_DIR / "deploy" / "gunicorn.conf.py"))

    assert config["bind"] == "127.0.0.1:8000"
    assert re.search(r"^ENV .*\bHOST=0\.0\.0\.0\b", (settings.BASE_DIR / "Dockerfile").read_text(), re.MULTILINE)
