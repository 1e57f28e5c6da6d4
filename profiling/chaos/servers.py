"""The servers the suite starts, stops, kills and freezes: a redis-server and a throwaway PostgreSQL cluster."""

import signal
import subprocess
from pathlib import Path

import psycopg

from .harness import WAIT_SECONDS, wait_for


class RedisServer:
    """`redis-server` on `port`, no persistence, to kill, freeze and start again."""

    def __init__(self, port, log_dir):
        self.port = port
        self.url = f"redis://127.0.0.1:{port}/0"
        self.log_path = Path(log_dir) / f"redis-{port}.log"
        self.process = None

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGCONT)  # a frozen one could not act on SIGKILL's cleanup otherwise
            self.process.kill()
            self.process.wait(timeout=30)

    def start(self):
        if self.answers():  # another redis-server: killing "ours" would leave it answering
            raise RuntimeError(f"port {self.port} already has a Redis (a fault suite killed before its end?); stop it")
        command = ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
        with open(self.log_path, "a") as log:
            self.process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)  # noqa: S603
        wait_for(self.answers, f"redis-server on port {self.port} to answer")
        return self

    def answers(self):
        command = ["redis-cli", "-p", str(self.port), "ping"]
        completed = subprocess.run(command, capture_output=True, text=True, timeout=10, check=False)  # noqa: S603
        return completed.stdout.strip() == "PONG"

    def kill(self):
        self.process.kill()
        self.process.wait(timeout=30)

    def freeze(self):
        self.process.send_signal(signal.SIGSTOP)

    def thaw(self):
        self.process.send_signal(signal.SIGCONT)


class Cluster:
    """A throwaway PostgreSQL cluster (pg_createcluster) on `port`, trusting local connections, with one database.

    The main cluster is never touched: this one has its own name, port and data directory, and is dropped at the
    end, also when a previous run left it behind."""

    NAME = "chaos"

    def __init__(self, port):
        self.port = port
        self.version = self._version()
        self.url = f"postgres://postgres@127.0.0.1:{port}/chaos"

    @staticmethod
    def _version():
        listing = subprocess.run(["pg_lsclusters", "--no-header"], capture_output=True, text=True, check=True)  # noqa: S607
        return listing.stdout.split()[0]

    def _run(self, *command):
        completed = subprocess.run(command, capture_output=True, text=True, timeout=WAIT_SECONDS, check=False)  # noqa: S603
        if completed.returncode:
            raise RuntimeError(f"{' '.join(command)} failed: {(completed.stderr or completed.stdout).strip()[-300:]}")

    def __enter__(self):
        self.drop()
        self._run(
            "pg_createcluster", "--port", str(self.port), self.version, self.NAME, "--",
            "--auth-local=trust", "--auth-host=trust",
        )  # fmt: skip
        self.start()
        with psycopg.connect(f"postgres://postgres@127.0.0.1:{self.port}/postgres", autocommit=True) as db:
            db.execute("CREATE DATABASE chaos")
        return self

    def __exit__(self, *exc):
        self.drop()

    def start(self):
        self._run("pg_ctlcluster", "--skip-systemctl-redirect", self.version, self.NAME, "start")
        wait_for(self.answers, f"the throwaway cluster on port {self.port} to accept connections")

    def stop(self, mode="fast"):
        """`fast`: as an operator stops it (clients cut, a clean shutdown); `immediate`: as a crash does."""
        self._run("pg_ctlcluster", "--skip-systemctl-redirect", "--mode", mode, self.version, self.NAME, "stop")

    def answers(self):
        try:
            with psycopg.connect(f"postgres://postgres@127.0.0.1:{self.port}/postgres", connect_timeout=5):
                return True
        except psycopg.OperationalError:
            return False

    def drop(self):
        subprocess.run(  # noqa: S603 (absent is fine)
            ["pg_dropcluster", "--stop", self.version, self.NAME],  # noqa: S607
            capture_output=True,
            timeout=WAIT_SECONDS,
            check=False,
        )
