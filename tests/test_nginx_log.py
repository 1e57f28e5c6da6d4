"""deploy/nginx/default.conf, run by a real nginx in front of the service: its access log masks the feed token."""

import shutil
import socket
import subprocess
import time

import pytest
import requests
from django.conf import settings

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
PORTS = range(9200, 9300)


def free_port():
    for port in PORTS:
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError(f"no free port in {PORTS.start}-{PORTS.stop - 1}")


@pytest.fixture
def nginx(live_api, tmp_path):
    """The compose proxy's server block as it is, but for where it listens, logs and finds the api."""
    if not shutil.which(NGINX):
        pytest.skip("needs nginx: apt-get install nginx-light")
    port = free_port()
    server = (settings.BASE_DIR / "deploy" / "nginx" / "default.conf").read_text()
    server = (
        server.replace("listen 80;", f"listen 127.0.0.1:{port};")
        .replace("http://api:8000", live_api)
        .replace("/var/log/nginx/access.log", str(tmp_path / "access.log"))
    )
    (tmp_path / "default.conf").write_text(server)
    temp = "".join(
        f" {kind}_temp_path {tmp_path / kind};" for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    (tmp_path / "nginx.conf").write_text(
        f"pid {tmp_path / 'nginx.pid'}; error_log {tmp_path / 'error.log'}; daemon off;\n"
        f"events {{}}\nhttp {{{temp} include {tmp_path / 'default.conf'}; }}\n"
    )
    process = subprocess.Popen(
        [NGINX, "-c", str(tmp_path / "nginx.conf"), "-e", str(tmp_path / "error.log")],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    base_url = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            requests.get(f"{base_url}/health/", timeout=5)
            break
        except requests.ConnectionError:
            if process.poll() is not None:
                raise RuntimeError(f"nginx exited: {process.stderr.read().decode()}") from None
            time.sleep(0.1)
    yield base_url, tmp_path / "access.log"
    process.terminate()
    process.wait(timeout=10)


def logged_line(access_log, part):
    """The access log's line holding `part`: nginx writes it once the answer is sent, a moment after the client has
    it."""
    for _ in range(100):
        lines = [line for line in access_log.read_text().splitlines() if part in line] if access_log.exists() else []
        if lines:
            return lines[0]
        time.sleep(0.1)
    raise AssertionError(f"no line with {part!r} in {access_log}")


def test_the_proxys_access_log_masks_the_feed_token(nginx, feed_token):
    base_url, access_log = nginx
    response = requests.get(f"{base_url}/api/articles/feed.atom?category=business&token={feed_token}", timeout=30)

    assert response.status_code == 200
    line = logged_line(access_log, "feed.atom")
    assert '"GET /api/articles/feed.atom?category=business&token=*** HTTP/1.1" 200' in line
    assert feed_token not in access_log.read_text()
