"""
What every family of faults shares: the processes it starts (fetch_articles, redis-server, a throwaway
PostgreSQL cluster), the load it puts on the API, and waiting for a condition instead of for a time.

Nothing here assumes how fast the machine is: every wait polls for its condition, with a generous bound.
"""

import os
import subprocess
import sys
import threading
import time
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from textwrap import shorten

import psycopg
import requests
from django.conf import settings

WAIT_SECONDS = 120  # the bound of any wait: far beyond what a loaded 2-core machine needs
MANAGE = str(Path(settings.BASE_DIR) / "manage.py")


def wait_for(condition, what, *, seconds=WAIT_SECONDS, interval=0.1):
    """Poll `condition()` until it returns something true, and return that; raise TimeoutError naming `what`."""
    deadline = time.monotonic() + seconds
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise TimeoutError(f"waited {seconds} s for {what}")
        time.sleep(interval)


@dataclass
class Context:
    """What the families share: the sandbox, the scratch database's URL, Redis's, the log folder."""

    sandbox: object
    database_url: str
    redis_url: str
    log_dir: Path
    report: object  # report(line): progress, on stderr
    service: dict = field(default_factory=dict)  # the production settings every server and ingest gets

    def environ(self, **more):
        """The environment of a fetch_articles or manage.py process: only PATH, the service's settings and `more`."""
        return {"PATH": os.environ["PATH"], "ENV_FILE": "", **self.service, **more}


def manage(environ, *args, timeout=WAIT_SECONDS):
    """Run manage.py to its end in a process of its own; the CompletedProcess."""
    return subprocess.run(  # noqa: S603 (our own command line)
        [sys.executable, MANAGE, *args], env=environ, capture_output=True, text=True, timeout=timeout, check=False
    )


class Ingest:
    """`manage.py fetch_articles ARGS` running in a process of its own, to be signalled or waited for."""

    def __init__(self, environ, *args):
        self.process = subprocess.Popen(  # noqa: S603 (our own command line)
            [sys.executable, MANAGE, "fetch_articles", *args],
            env=environ,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        self.stdout = self.stderr = ""

    @property
    def running(self):
        return self.process.poll() is None

    def signal(self, number):
        self.process.send_signal(number)

    def wait(self, seconds=WAIT_SECONDS):
        try:
            self.stdout, self.stderr = self.process.communicate(timeout=seconds)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.stdout, self.stderr = self.process.communicate()
            raise
        return self.process.returncode

    def outcome(self):
        """The exit status and the last line of stderr (or stdout): what an operator sees first."""
        lines = (self.stderr or self.stdout).strip().splitlines()
        return f"exit {self.process.returncode}" + (f", {shorten(lines[-1].strip(), 110)!r}" if lines else "")

    @property
    def crashed(self):
        """Ended by an exception it did not handle (a traceback last), not by its one-line error or a signal."""
        lines = self.stderr.strip().splitlines()
        return "Traceback (most recent call last)" in self.stderr and not lines[-1].startswith("CommandError: ")

    @property
    def logged_errors(self):
        """How many ERROR lines it logged, and how many lines its standard error holds in all (their tracebacks)."""
        lines = self.stderr.splitlines()
        return sum(" ERROR " in line for line in lines), len(lines)


def article_urls(database_url):
    """Every stored article's URL, read in a connection of its own (`None` if the database cannot be reached)."""
    try:
        with psycopg.connect(database_url, connect_timeout=5) as db:
            return {url for (url,) in db.execute("SELECT url FROM articles_article")}
    except psycopg.OperationalError:
        return None


def clear_articles(database_url):
    """No article and no ingest run in the database: a fault's ingest starts from nothing."""
    with psycopg.connect(database_url, connect_timeout=5, autocommit=True) as db:
        db.execute("TRUNCATE articles_article, articles_ingestrun CASCADE")


def runs(database_url, first_id=0):
    """The ingest runs from id `first_id` on: (id, source, status, requests_made), oldest first."""
    with psycopg.connect(database_url, connect_timeout=5) as db:
        query = "SELECT id, source, status, requests_made FROM articles_ingestrun WHERE id >= %s ORDER BY id"
        return db.execute(query, [first_id]).fetchall()


def next_run_id(database_url):
    with psycopg.connect(database_url, connect_timeout=5) as db:
        return db.execute("SELECT coalesce(max(id), 0) + 1 FROM articles_ingestrun").fetchone()[0]


def create_key(environ):
    """A new API key in the database of `environ`, made as an operator makes one."""
    completed = manage(environ, "create_api_key", "fault suite")
    if completed.returncode:
        raise RuntimeError(f"create_api_key failed: {completed.stderr.strip()}")
    return completed.stdout.strip().splitlines()[-1]


class Load:
    """Threads asking the API for `paths()` until stopped, counting the answers by (kind, status).

    `paths(n)` gives the n-th request's (kind, path). A request that gets no answer counts as status 0."""

    def __init__(self, base_url, paths, headers, *, threads=4):
        self.base_url, self.paths, self.headers, self.threads = base_url, paths, headers, threads
        self.answers = Counter()
        self.problems = []  # (kind, path, status, first line of the body) of each unwelcome answer, the first few
        self.without_retry_after = 0  # 503s without a Retry-After header
        self.hits = 0  # answers from the page cache (X-Cache: HIT)
        self._sent = 0
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._workers = []

    @property
    def sent(self):
        return self._sent

    def __enter__(self):
        for number in range(self.threads):
            worker = threading.Thread(target=self._work, name=f"load-{number}", daemon=True)
            worker.start()
            self._workers.append(worker)
        return self

    def __exit__(self, *exc):
        self._stop.set()
        for worker in self._workers:
            worker.join(timeout=WAIT_SECONDS)

    def wait_for_more(self, count, what):
        """Until `count` more requests than now have been sent."""
        target = self._sent + count
        wait_for(lambda: self._sent >= target, f"{count} requests {what}")

    def _next(self):
        with self._lock:
            self._sent += 1
            return self.paths(self._sent)

    def _work(self):
        with requests.Session() as session:
            while not self._stop.is_set():
                kind, path = self._next()
                try:
                    response = session.get(self.base_url + path, headers=self.headers, timeout=60)
                    status, body = response.status_code, response.text
                    retry_after, cache = response.headers.get("Retry-After"), response.headers.get("X-Cache")
                except requests.RequestException as exc:
                    status, body, retry_after, cache = 0, type(exc).__name__, None, None
                with self._lock:
                    self.answers[kind, status] += 1
                    self.hits += cache == "HIT"
                    if status == 503 and not retry_after:
                        self.without_retry_after += 1
                    if (status >= 500 or status == 0) and len(self.problems) < 5:
                        self.problems.append((kind, path, status, (body.strip().splitlines() or [""])[0][:120]))

    def count(self, *, kind=None, status=None):
        return sum(
            number
            for (k, s), number in self.answers.items()
            if (kind is None or k == kind) and (status is None or s == status)
        )

    @property
    def server_errors(self):
        return sum(number for (_, status), number in self.answers.items() if status >= 500)

    def describe(self, kind):
        statuses = Counter()
        for (k, status), number in self.answers.items():
            if k == kind:
                statuses[status] += number
        return ", ".join(
            f"{number} answered {status}" if status else f"{number} unanswered"
            for status, number in sorted(statuses.items())
        )


@contextmanager
def quiet_sandbox(sandbox):
    """The sandbox without the tracebacks of answers written to clients that gave up, which are the faults' point."""
    handle_error = sandbox.server.handle_error
    sandbox.server.handle_error = lambda request, address: None
    try:
        yield sandbox
    finally:
        sandbox.server.handle_error = handle_error
