import os
import signal
import subprocess
import sys
import time

from django.conf import settings as django_settings

from conftest import manage
from profiling.sandbox import sandbox_process


def test_ctrl_c_stops_the_feeds_at_once_with_one_line_and_an_interrupted_row(tmp_path):
    env = {"DEBUG": "true", "DATABASE_URL": f"sqlite:///{tmp_path}/db.sqlite3", "FEEDS_ALLOW_PRIVATE": "true"}
    assert manage("migrate", "-v", "0", **env).returncode == 0
    with sandbox_process("--latency-ms", "0") as base_url:  # its slow feed answers after 30 s
        subscribe = f"from feeds.models import Feed; Feed.objects.create(url='{base_url}/feeds/fault/slow', title='S')"
        assert manage("shell", "--no-imports", "-c", subscribe, **env).returncode == 0
        process = subprocess.Popen(
            [sys.executable, "manage.py", "fetch_articles", "--source", "feeds"],
            cwd=django_settings.BASE_DIR,
            env={"PATH": os.environ["PATH"], "ENV_FILE": "", "FEEDS_TIMEOUT": "60", **env},
            stderr=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        probe = "from articles.models import IngestRun; print(IngestRun.objects.filter(status='running').count())"
        for _ in range(60):  # until the crawl has started: its row is `running`
            if manage("shell", "--no-imports", "-c", probe, **env).stdout.strip() == "1":
                break
            time.sleep(0.5)
        process.send_signal(signal.SIGINT)
        stdout, stderr = process.communicate(timeout=20)  # not the 30 s the slow feed would take

    assert process.returncode == 130
    assert stdout.splitlines()[0].split()[:2] == ["source", "status"]  # the summary of what it stored
    assert stdout.splitlines()[1].split()[:2] == ["feeds", "interrupted"]
    assert stderr.strip() == "CommandError: Interrupted: the feeds stored before it are kept."
    status = "from articles.models import IngestRun; print(IngestRun.objects.get().status)"
    assert manage("shell", "--no-imports", "-c", status, **env).stdout.strip() == "interrupted"
