"""gunicorn started as production starts it (deploy/gunicorn.conf.py) on a free port, for the tests and make profile."""

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import requests
from django.conf import settings

GUNICORN = str(Path(sys.executable).with_name("gunicorn"))
READY_SECONDS = 60


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class GunicornProcess:
    """`with GunicornProcess(log_dir, environ) as server:` serves until the block ends, then stops it with SIGTERM.

    Only PATH, ENV_FILE="" and `environ` reach it (neither the caller's variables nor a .env). Its standard output
    and error go to files in `log_dir` (`server.stdout_path`, `server.stderr_path`)."""

    def __init__(self, log_dir, environ, *, ready_path="/health/", arguments=()):
        self.port = free_port()
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.ready_path = ready_path
        self.env = {"PATH": os.environ["PATH"], "ENV_FILE": "", "HOST": "127.0.0.1", "PORT": str(self.port), **environ}
        self.arguments = ["--config", "deploy/gunicorn.conf.py", *arguments]
        self.stdout_path = Path(log_dir) / f"gunicorn-{self.port}.out"
        self.stderr_path = Path(log_dir) / f"gunicorn-{self.port}.err"
        self.returncode = None

    def __enter__(self):
        with open(self.stdout_path, "w") as stdout, open(self.stderr_path, "w") as stderr:
            self.process = subprocess.Popen(  # noqa: S603 (our own command line)
                [GUNICORN, *self.arguments], cwd=settings.BASE_DIR, env=self.env, stdout=stdout, stderr=stderr
            )
        try:
            self.wait_until_ready()
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(self, *exc):
        self.stop()

    def wait_until_ready(self):
        """Until `ready_path` answers 200: a refused connection and a slow first answer (a worker still importing
        Django on a loaded machine) are both waited out, up to READY_SECONDS."""
        deadline = time.monotonic() + READY_SECONDS
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited with {self.process.returncode}; see {self.stderr_path}")
            try:
                if requests.get(self.base_url + self.ready_path, timeout=5).status_code == 200:
                    return
            except requests.RequestException:
                pass
            time.sleep(0.1)
        raise RuntimeError(f"gunicorn did not answer {self.ready_path} in {READY_SECONDS} s; see {self.stderr_path}")

    def stop(self):
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
        self.returncode = self.process.wait(timeout=60)

    @property
    def stdout(self):
        return self.stdout_path.read_text()

    @property
    def stderr(self):
        return self.stderr_path.read_text()
