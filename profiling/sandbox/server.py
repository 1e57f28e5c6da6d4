"""
The sandbox's HTTP server: its configuration and clock, the record of requests, the faults, and
the handler that routes each request to the imitation of its upstream (newsapi.py, guardian.py).

Faults are switched per source: 401, 429 (with and without Retry-After), 500, an HTML error page,
malformed JSON, a slow answer, an answer that trickles in a byte at a time, a redirect to another
host, garbage items among the good ones, an item whose title holds a lone surrogate, an item
of more than 1 MB, a gzip bomb and a 25 MB body (bodies.py); each may start after a number of
good requests and last a number of them.
"""

import json
import logging
import math
import re
import subprocess
import sys
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from django.conf import settings

from articles.masking import mask_secrets

from . import feeds, guardian, newsapi
from .bodies import BODIES
from .stories import garbage_items, oversized_items, surrogate_items

logger = logging.getLogger(__name__)

ODD_ITEMS = {"garbage": garbage_items, "surrogate": surrogate_items, "oversized": oversized_items}
FAULTS = (
    "401",
    "429",
    "429-no-retry-after",
    "500",
    "html",
    "malformed",
    "slow",
    "trickle",
    "redirect",
    *ODD_ITEMS,
    *BODIES,
)
IMITATIONS = {imitation.SOURCE: imitation for imitation in (newsapi, guardian)}
ROUTES = {imitation.PATH: imitation for imitation in IMITATIONS.values()}
SOURCES = tuple(IMITATIONS)
HTML_ERROR_PAGE = b"<html><head><title>502 Bad Gateway</title></head><body><h1>502 Bad Gateway</h1></body></html>"


@dataclass
class Fault:
    kind: str
    after: int = 0  # good requests to the source before the fault starts
    times: int | None = None  # faulty answers in a row; None: until cleared

    def applies(self, request_number):
        return request_number >= self.after and (self.times is None or request_number < self.after + self.times)


@dataclass
class SandboxConfig:
    latency: float = 0.2
    stories_per_feed: int = 100
    spacing: float = 600.0
    clock: datetime | None = None  # None: the real time
    newsapi_max_results: int | None = 100
    guardian_max_page_size: int = 200  # what the real server accepts; its documentation says 50
    slow_seconds: float = 30.0
    trickle_interval: float = 0.2
    retry_after: int = 1
    feed_entries: int = 50  # entries in each of feeds.py's feeds
    huge_entries: int = 100_000  # in the fault feed "huge": far beyond FEEDS_MAX_BYTES
    revision: int = 0  # above 0, every title says it was revised: the same stories, changed upstream
    faults: dict[str, Fault] = field(default_factory=dict)


@dataclass
class RecordedRequest:
    source: str
    path: str
    params: dict
    headers: dict
    at: float


class Sandbox:
    """The server; `start()` serves it on a thread, `serve_forever()` in the foreground."""

    def __init__(self, config=None, *, host="127.0.0.1", port=0):
        self.config = config or SandboxConfig()
        self.requests = []
        self._lock = threading.Lock()
        self._counts = dict.fromkeys((*SOURCES, feeds.SOURCE), 0)
        self.server = ThreadingHTTPServer((host, port), _Handler)
        self.server.daemon_threads = True
        self.server.sandbox = self
        self._thread = None
        self.feed_servers = []

    @property
    def base_url(self):
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"

    def start(self):
        self._thread = threading.Thread(target=self.server.serve_forever, name="sandbox", daemon=True)
        self._thread.start()
        return self

    def serve_feed_hosts(self, count):
        """Serve on 127.0.1.1 to 127.0.1.`count` too, on the same port: so many publishers' hosts, for the feed
        crawler, which sends one request at a time to each host. Return their base URLs."""
        port = self.server.server_address[1]
        for number in range(1, count + 1):
            server = ThreadingHTTPServer((f"127.0.1.{number}", port), _Handler)
            server.daemon_threads = True
            server.sandbox = self
            self.feed_servers.append(server)
            threading.Thread(target=server.serve_forever, name=f"sandbox-{number}", daemon=True).start()
        return [f"http://127.0.1.{number}:{port}" for number in range(1, count + 1)]

    def serve_forever(self):
        self.server.serve_forever()

    def stop(self):
        for server in [self.server, *self.feed_servers]:
            server.shutdown()
            server.server_close()

    def set_fault(self, source, kind, *, after=0, times=None):
        if kind not in FAULTS:
            raise ValueError(f"unknown fault {kind!r}; one of {', '.join(FAULTS)}")
        self.config.faults[source] = Fault(kind, after, times)

    def reset(self, config=None):
        with self._lock:
            self.config = config or SandboxConfig()
            self.requests.clear()
            self._counts = dict.fromkeys((*SOURCES, feeds.SOURCE), 0)

    def requests_to(self, source):
        return [request for request in self.requests if request.source == source]

    def record(self, source, path, params, headers):
        """Log the request; return the fault to answer with, if any."""
        with self._lock:
            number = self._counts[source]
            self._counts[source] += 1
            self.requests.append(RecordedRequest(source, path, params, headers, time.monotonic()))
        fault = self.config.faults.get(source)
        return fault.kind if fault and fault.applies(number) else None

    def now(self):
        return self.config.clock or datetime.now(UTC)

    def newest_index(self):
        return math.floor(self.now().timestamp() / self.config.spacing)

    def guardian_story(self, section, index):
        return guardian.story(section, index, self.config.spacing, self.config.revision)

    def newsapi_story(self, category, index):
        return newsapi.story(category, index, self.config.spacing, self.config.revision)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "news-sandbox/1.0"
    # Headers and body go out in separate writes: with Nagle on, each answer stalls on a delayed ACK (~40 ms).
    disable_nagle_algorithm = True

    def handle(self):
        try:
            super().handle()
        except ConnectionResetError:  # a client that hung up mid-answer: a crawler refusing a huge feed
            self.close_connection = True

    def do_GET(self):
        sandbox = self.server.sandbox
        parts = urlsplit(self.path)
        params = {name: values[-1] for name, values in parse_qs(parts.query).items()}
        if parts.path.startswith(feeds.PREFIX):
            return self._serve_feed(sandbox, parts.path)
        imitation = ROUTES.get(parts.path)
        if imitation is None:
            return self._send_json(404, {"status": "error", "message": f"no such endpoint: {parts.path}"})
        fault = sandbox.record(imitation.SOURCE, parts.path, params, dict(self.headers))
        time.sleep(sandbox.config.latency)
        if not imitation.has_key(self.headers, params):
            return self._send_json(*imitation.MISSING_KEY)
        if fault == "slow":
            time.sleep(sandbox.config.slow_seconds)
        elif fault == "redirect":
            location = f"http://127.0.0.1:9{parts.path}?{parts.query}"  # elsewhere, with the key in tow
            return self._send(302, b"", "text/plain", headers={"Location": location})
        elif fault == "html":
            return self._send(502, HTML_ERROR_PAGE, "text/html")
        elif fault in ("429", "429-no-retry-after"):
            headers = {"Retry-After": str(sandbox.config.retry_after)} if fault == "429" else {}
            return self._send_json(*imitation.FAULT_ANSWERS["429"], headers=headers)
        elif fault in imitation.FAULT_ANSWERS:
            return self._send_json(*imitation.FAULT_ANSWERS[fault])
        elif fault in BODIES:
            body, headers = BODIES[fault]()
            return self._send(200, body, "application/json; charset=utf-8", headers)
        status, payload = imitation.answer(sandbox, params)
        if fault in ODD_ITEMS and status == 200:
            items = imitation.items_of(payload)
            # Varied from a story, not a placeholder, whose every field the normaliser refuses (NewsAPI's
            # "[Removed]"): which item comes first depends on the clock, and the odd items must not.
            title, placeholder = imitation.GARBAGE_FIELDS["title"], getattr(imitation, "REMOVED", None)
            good = next((item for item in items if item.get(title) != placeholder), {})
            items[:0] = ODD_ITEMS[fault](good, **imitation.GARBAGE_FIELDS)
        body = json.dumps(payload).encode()
        if fault == "malformed":
            body = body[: len(body) // 2]
        self._send(status, body, "application/json; charset=utf-8", trickle=fault == "trickle")

    def _serve_feed(self, sandbox, path):
        sandbox.record(feeds.SOURCE, path, {}, dict(self.headers))
        time.sleep(sandbox.config.latency)
        host = self.headers.get("Host") or "{}:{}".format(*self.server.server_address[:2])
        status, body, content_type, headers = feeds.answer(sandbox, path, self.headers, f"http://{host}")
        if headers.pop("X-Sandbox-Slow", None):
            time.sleep(sandbox.config.slow_seconds)
        try:
            self._send(status, body, content_type, headers)
        except (BrokenPipeError, ConnectionResetError):  # a crawler that stopped reading a huge feed
            self.close_connection = True

    def _send_json(self, status, payload, headers=None):
        self._send(status, json.dumps(payload).encode(), "application/json; charset=utf-8", headers)

    def _send(self, status, body, content_type, headers=None, trickle=False):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        if not trickle:
            self.wfile.write(body)
            return
        for byte in range(len(body)):  # each byte well within any read timeout, the whole far beyond any
            self.wfile.write(body[byte : byte + 1])
            self.wfile.flush()
            time.sleep(self.server.sandbox.config.trickle_interval)

    def log_message(self, format, *args):
        logger.debug(mask_secrets(format % args))


@contextmanager
def sandbox_process(*options):
    """Run `manage.py run_sandbox --port 0 OPTIONS` in a process of its own; yield its base URL."""
    command = [sys.executable, str(Path(settings.BASE_DIR) / "manage.py"), "run_sandbox", "--port", "0", *options]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)  # noqa: S603 (our own command line)
    try:
        banner = process.stdout.readline()
        found = re.search(r"http://[\d.]+:\d+", banner)
        if not found:
            raise RuntimeError(f"the sandbox did not start: {banner.strip() or 'no output'}")
        yield found.group()
    finally:
        process.terminate()
        process.wait(timeout=10)
