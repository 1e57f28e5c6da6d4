"""deploy/gunicorn.conf.py as the image will run it: serves, logs each request's time, stops cleanly on SIGTERM."""

import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import requests
from django.conf import settings

GUNICORN = str(Path(sys.executable).with_name("gunicorn"))


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start(tmp_path, **environ):
    env = {
        "PATH": os.environ["PATH"],
        "ENV_FILE": "",
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "DATABASE_URL": f"sqlite:///{tmp_path}/db.sqlite3",
        "HOST": "127.0.0.1",
        "GUNICORN_WORKERS": "1",
        **environ,
    }
    return subprocess.Popen(
        [GUNICORN, "--config", "deploy/gunicorn.conf.py"],
        cwd=settings.BASE_DIR,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_it_serves_logs_each_request_with_its_time_and_stops_on_sigterm(tmp_path):
    port = free_port()
    server = start(tmp_path, PORT=str(port))
    try:
        for _ in range(100):
            try:
                response = requests.get(f"http://127.0.0.1:{port}/health/", timeout=1)
                break
            except requests.ConnectionError:
                time.sleep(0.1)
    finally:
        server.send_signal(signal.SIGTERM)
        stdout, stderr = server.communicate(timeout=30)

    assert response.json() == {"status": "ok"}
    assert server.returncode == 0
    access_line = next(line for line in stdout.splitlines() if "/health/" in line)
    assert '"GET /health/ HTTP/1.1" 200' in access_line
    assert access_line.endswith("ms")
    assert "Handling signal: term" in stderr


def test_a_bad_number_stops_it_with_one_sentence(tmp_path):
    server = start(tmp_path, GUNICORN_WORKERS="many")
    _, stderr = server.communicate(timeout=30)

    assert server.returncode != 0
    assert "Configuration error: GUNICORN_WORKERS must be a whole number of at least 1, not 'many'." in stderr
    assert "Traceback" not in stderr
