"""fetch_articles on a terminal: a bar per source, with a total and an ETA where the upstream says how many."""

import fcntl
import os
import pty
import re
import struct
import subprocess
import sys
import termios

from django.conf import settings as django_settings

from conftest import GUARDIAN_TEST_KEY, NEWSAPI_TEST_KEY, manage


def test_each_source_gets_a_bar_with_its_total(sandbox, tmp_path):
    env = {
        "PATH": os.environ["PATH"],
        "ENV_FILE": "",
        "DEBUG": "true",
        "DATABASE_URL": f"sqlite:///{tmp_path}/db.sqlite3",
        "NEWSAPI_BASE_URL": sandbox.base_url,
        "NEWSAPI_KEY": NEWSAPI_TEST_KEY,
        "GUARDIAN_BASE_URL": sandbox.base_url,
        "GUARDIAN_API_KEY": GUARDIAN_TEST_KEY,
        "GUARDIAN_REQUESTS_PER_SECOND": "0",
    }
    assert manage("migrate", "-v", "0", **env).returncode == 0
    sandbox.config.stories_per_feed = 150
    terminal, process_side = pty.openpty()
    fcntl.ioctl(process_side, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 120, 0, 0))  # a new pty is 0 wide
    process = subprocess.Popen(
        [sys.executable, "manage.py", "fetch_articles", "--category", "technology", "--category", "sports"],
        cwd=django_settings.BASE_DIR,
        env=env,
        stdout=subprocess.PIPE,
        stderr=process_side,
        text=True,
    )
    os.close(process_side)
    stdout, _ = process.communicate(timeout=60)
    shown = b""
    while True:
        try:
            chunk = os.read(terminal, 65536)
        except OSError:  # the process side is closed: all is read
            break
        if not chunk:
            break
        shown += chunk
    os.close(terminal)
    screen = shown.decode(errors="replace")

    assert process.returncode == 0, screen
    for source in ["newsapi", "guardian"]:
        fetched = int(next(line.split()[3] for line in stdout.splitlines() if line.startswith(source)))
        assert re.search(rf"{source}: 100%\|[^|]*\| {fetched}/{fetched} \[", screen), screen
    assert "<" in screen  # an ETA: the time left, beside the time spent
