"""
A local stand-in for NewsAPI and the Guardian's content API, over real HTTP.

It answers the two endpoints the ingest uses with the real response and error
shapes (README.md, "Sandbox upstream", lists the fields it mirrors):

- `GET /v2/top-headlines?category=&pageSize=&page=` (NewsAPI; key in X-Api-Key,
  `apiKey` or Authorization), with 426 `maximumResultsReached` past result 100
  as on the free developer plan, unless `newsapi_max_results` is None;
- `GET /search?section=a|b&from-date=&page-size=&page=&show-fields=` (the
  Guardian; key in `api-key`), with `response.pages`, `total` and paging errors.

Stories are generated, not stored: each feed (a NewsAPI category, a Guardian
section) is a timeline with one story every `spacing` seconds, the newest at
the sandbox clock, `stories_per_feed` long. A story is a pure function of its
feed and its place on the timeline, so the same clock gives the same answers,
and as the clock moves new stories appear on top as they do upstream. One NewsAPI
story in five is a Guardian story (same URL plus tracking parameters), as
NewsAPI carries the Guardian too.

Faults are switched per source: 401, 429 (with and without Retry-After), 500,
an HTML error page, malformed JSON, a slow answer, an answer that trickles in a
byte at a time, a redirect to another host, and garbage items among the good
ones; each may start after a number of good requests and last a number of them.
"""

import json
import logging
import math
import random
import re
import subprocess
import sys
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from functools import lru_cache
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from django.conf import settings

from articles.masking import mask_secrets
from articles.models import Category
from articles.upstreams import UPSTREAMS, guardian, newsapi

logger = logging.getLogger(__name__)

FAULTS = ("401", "429", "429-no-retry-after", "500", "html", "malformed", "slow", "trickle", "redirect", "garbage")
SOURCES = (newsapi.SOURCE, guardian.SOURCE)
GUARDIAN_API_URL = "https://content.guardianapis.com"  # what real apiUrl fields point at
WORDS = [
    "market",
    "council",
    "river",
    "vaccine",
    "league",
    "orbit",
    "budget",
    "festival",
    "startup",
    "climate",
    "court",
    "election",
    "museum",
    "harbour",
    "pitch",
    "satellite",
    "tariff",
    "album",
    "novel",
    "clinic",
    "rally",
    "storm",
    "grid",
    "chip",
    "merger",
    "derby",
    "galaxy",
    "ballot",
    "opera",
    "trial",
]
NEWSAPI_PUBLISHERS = (
    ("bbc-news", "BBC News", "www.bbc.co.uk"),
    ("reuters", "Reuters", "www.reuters.com"),
    ("techcrunch", "TechCrunch", "techcrunch.com"),
    (None, "The Example Times", "www.example-times.com"),
)


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
        self._counts = dict.fromkeys(SOURCES, 0)
        self.server = ThreadingHTTPServer((host, port), _Handler)
        self.server.daemon_threads = True
        self.server.sandbox = self
        self._thread = None

    @property
    def base_url(self):
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"

    def start(self):
        self._thread = threading.Thread(target=self.server.serve_forever, name="sandbox", daemon=True)
        self._thread.start()
        return self

    def serve_forever(self):
        self.server.serve_forever()

    def stop(self):
        self.server.shutdown()
        self.server.server_close()

    def set_fault(self, source, kind, *, after=0, times=None):
        if kind not in FAULTS:
            raise ValueError(f"unknown fault {kind!r}; one of {', '.join(FAULTS)}")
        self.config.faults[source] = Fault(kind, after, times)

    def reset(self, config=None):
        with self._lock:
            self.config = config or SandboxConfig()
            self.requests.clear()
            self._counts = dict.fromkeys(SOURCES, 0)

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
        return guardian_story(section, index, self.config.spacing, self.config.revision)

    def newsapi_story(self, category, index):
        return newsapi_story(category, index, self.config.spacing, self.config.revision)

    def newsapi_page(self, params):
        category = params.get("category", "general")
        size = min(_int(params.get("pageSize"), 20), 100)
        page = _int(params.get("page"), 1)
        if size < 1 or page < 1:
            return 400, newsapi_error("parameterInvalid", "page and pageSize must be positive whole numbers.")
        cap = self.config.newsapi_max_results
        if cap is not None and (page - 1) * size + 1 > cap:
            return 426, newsapi_error(
                "maximumResultsReached",
                f"You have requested too many results. Developer accounts are limited to a max of {cap} results. "
                f"You are trying to request results {(page - 1) * size} to {page * size}. "
                "Please upgrade to a paid plan if you need more results.",
            )
        total = self.config.stories_per_feed if category in Category.values else 0
        newest = self.newest_index()
        first = (page - 1) * size
        articles = [self.newsapi_story(category, newest - i) for i in range(first, min(first + size, total))]
        return 200, {"status": "ok", "totalResults": total, "articles": articles}

    def guardian_page(self, params):
        requested = [s for s in params.get("section", "").split("|") if s] or list(guardian.SECTION_CATEGORIES)
        sections = [s for s in dict.fromkeys(requested) if s in guardian.SECTION_CATEGORIES]
        size = _int(params.get("page-size"), 10)
        page = _int(params.get("page"), 1)
        largest = self.config.guardian_max_page_size
        if not 1 <= size <= largest or page < 1:
            return 400, guardian_error(f"page-size must be an integer between 1 and {largest}, and page at least 1")
        newest = self.newest_index()
        per_section = self.config.stories_per_feed
        if "from-date" in params:
            try:
                since = datetime.combine(date.fromisoformat(params["from-date"]), datetime.min.time(), UTC)
            except ValueError:
                return 400, guardian_error(f"Invalid from-date: {params['from-date']}")
            per_section = max(0, min(per_section, newest - math.ceil(since.timestamp() / self.config.spacing) + 1))
        total = per_section * len(sections)
        pages = math.ceil(total / size)
        if page > max(pages, 1):
            return 400, guardian_error(f"requested page is beyond the number of available pages, which is {pages}")
        first = (page - 1) * size
        # Every section has the same timeline, so the merged feed takes them in turn.
        results = [
            self.guardian_story(sections[i % len(sections)], newest - i // len(sections))
            for i in range(first, min(first + size, total))
        ]
        return 200, {
            "response": {
                "status": "ok",
                "userTier": "developer",
                "total": total,
                "startIndex": first + 1 if results else 0,
                "pageSize": size,
                "currentPage": page,
                "pages": pages,
                "orderBy": "newest",
                "results": results,
            }
        }


def published_at(index, spacing):
    return datetime.fromtimestamp(index * spacing, UTC).replace(microsecond=0)


# Stories are pure functions of their arguments; remembering them keeps the sandbox cheap under load,
# so that a benchmark measures the ingest and not the stand-in upstream (both share two cores).
@lru_cache(maxsize=100_000)
def guardian_story(section, index, spacing, revision):
    rng = random.Random(f"guardian:{section}:{index}")
    words = rng.sample(WORDS, 5)
    published = published_at(index, spacing)
    slug = "-".join(words) + f"-{index}"
    story_id = f"{section}/{published:%Y/%b/%d}".lower() + f"/{slug}"
    fields = {"trailText": f"<p>The {words[0]} &amp; the {words[1]}: what we know about {words[2]}&#x27;s {words[3]}"}
    if index % 4:
        fields["byline"] = f"{words[4].title()} Correspondent"
    if index % 6:
        fields["thumbnail"] = f"https://media.guim.co.uk/{index:x}/0_0_1000_600/500.jpg"
    return {
        "id": story_id,
        "type": "article",
        "sectionId": section,
        "sectionName": section.replace("-", " ").title(),
        "webPublicationDate": published.isoformat().replace("+00:00", "Z"),
        "webTitle": story_title(words, revision),
        "webUrl": f"https://www.theguardian.com/{story_id}",
        "apiUrl": f"{GUARDIAN_API_URL}/{story_id}",
        "fields": fields,
        "isHosted": False,
        "pillarId": "pillar/news",
        "pillarName": "News",
    }


@lru_cache(maxsize=100_000)
def newsapi_story(category, index, spacing, revision):
    published = published_at(index, spacing).isoformat().replace("+00:00", "Z")
    if index % 23 == 0:
        return {
            "source": {"id": None, "name": "[Removed]"},
            "author": None,
            "title": "[Removed]",
            "description": "[Removed]",
            "url": "https://removed.com",
            "urlToImage": None,
            "publishedAt": "1970-01-01T00:00:00Z",
            "content": "[Removed]",
        }
    if index % 5 == 0:
        story = guardian_story(guardian.sections_of(category)[0], index, spacing, revision)
        return {
            "source": {"id": "the-guardian-uk", "name": "The Guardian"},
            "author": story["fields"].get("byline"),
            "title": f"{story['webTitle']} - The Guardian",
            "description": story["fields"]["trailText"],
            "url": f"{story['webUrl']}?CMP=share_btn_url&utm_source=newsapi",
            "urlToImage": story["fields"].get("thumbnail"),
            "publishedAt": published,
            "content": "Full text for subscribers… [+2310 chars]",
        }
    rng = random.Random(f"newsapi:{category}:{index}")
    words = rng.sample(WORDS, 5)
    source_id, name, host = NEWSAPI_PUBLISHERS[index % len(NEWSAPI_PUBLISHERS)]
    url = f"https://{host}/{category}/{index}-{'-'.join(words)}"
    return {
        "source": {"id": source_id, "name": name},
        "author": None if index % 3 == 0 else f"{words[4].title()} Reporter",
        "title": f"{story_title(words, revision)} - {name}",
        "description": None if index % 11 == 0 else f"<p>{words[0].title()} news on {words[1]} &amp; {words[2]}.</p>",
        "url": url + ("?utm_source=newsapi&utm_medium=rss" if index % 7 == 0 else ""),
        "urlToImage": None if index % 4 == 0 else f"https://{host}/images/{index}.jpg",
        "publishedAt": published,
        "content": f"{words[0].title()} … [+{1000 + index % 900} chars]",
    }


def story_title(words, revision):
    title = " ".join(words).capitalize()
    return f"{title} (revision {revision})" if revision else title


def newsapi_error(code, message):
    return {"status": "error", "code": code, "message": message}


def guardian_error(message):
    return {"response": {"status": "error", "message": message}}


FAULT_ANSWERS = {
    newsapi.SOURCE: {
        "401": (401, newsapi_error("apiKeyInvalid", "Your API key is invalid or incorrect. Check your key.")),
        "429": (429, newsapi_error("rateLimited", "You have made too many requests recently.")),
        "500": (500, newsapi_error("unexpectedError", "This shouldn't happen, and if it does then it's our fault.")),
    },
    guardian.SOURCE: {
        "401": (401, {"message": "Invalid authentication credentials"}),
        "429": (429, {"message": "API rate limit exceeded"}),
        "500": (500, guardian_error("Internal server error")),
    },
}
GARBAGE_FIELDS = {
    newsapi.SOURCE: {"title": "title", "url": "url", "published": "publishedAt"},
    guardian.SOURCE: {"title": "webTitle", "url": "webUrl", "published": "webPublicationDate"},
}


def garbage_items(source, good):
    """Items no real answer should hold, but might: three that can be stored once cleaned, four that cannot."""
    field = GARBAGE_FIELDS[source]
    url = good.get(field["url"], "https://example.com/a")
    return [
        {**good, field["url"]: url + "-nul", field["title"]: "A title with a NUL\x00 in it"},  # stored, NUL dropped
        {
            **good,
            field["url"]: "https://例え.jp/記事/" + "ニュース" * 30,
            "sectionId": ["not", "a", "string"],
        },  # stored
        {**good, field["url"]: url + "-year-one", field["published"]: "0001-01-01T00:00:00+01:00"},  # skipped
        {**good, field["url"]: "http://[::1/broken-ipv6"},  # skipped
        {**good, field["url"]: "https://example.com/" + "ü" * 1000},  # too long once percent-encoded: skipped
        "not an object",  # skipped
        None,  # skipped
    ]


HTML_ERROR_PAGE = b"<html><head><title>502 Bad Gateway</title></head><body><h1>502 Bad Gateway</h1></body></html>"


def _int(value, default):
    try:
        return int(value) if value is not None else default
    except ValueError:
        return -1


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "news-sandbox/1.0"
    # Headers and body go out in separate writes: with Nagle on, each answer stalls on a delayed ACK (~40 ms).
    disable_nagle_algorithm = True

    def do_GET(self):
        sandbox = self.server.sandbox
        parts = urlsplit(self.path)
        params = {name: values[-1] for name, values in parse_qs(parts.query).items()}
        source = {module.ENDPOINT: module.SOURCE for module in UPSTREAMS.values()}.get(parts.path)
        if source is None:
            return self._send_json(404, {"status": "error", "message": f"no such endpoint: {parts.path}"})
        fault = sandbox.record(source, parts.path, params, dict(self.headers))
        time.sleep(sandbox.config.latency)
        if not self._has_key(source, params):
            if source == newsapi.SOURCE:
                return self._send_json(401, newsapi_error("apiKeyMissing", "Your API key is missing."))
            return self._send_json(401, {"message": "No API key found in request"})
        if fault == "slow":
            time.sleep(sandbox.config.slow_seconds)
        elif fault == "redirect":
            location = f"http://127.0.0.1:9{parts.path}?{parts.query}"  # elsewhere, with the key in tow
            return self._send(302, b"", "text/plain", headers={"Location": location})
        elif fault == "html":
            return self._send(502, HTML_ERROR_PAGE, "text/html")
        elif fault in ("429", "429-no-retry-after"):
            headers = {"Retry-After": str(sandbox.config.retry_after)} if fault == "429" else {}
            return self._send_json(*FAULT_ANSWERS[source]["429"], headers=headers)
        elif fault in FAULT_ANSWERS[source]:
            return self._send_json(*FAULT_ANSWERS[source][fault])
        status, payload = (sandbox.newsapi_page if source == newsapi.SOURCE else sandbox.guardian_page)(params)
        if fault == "garbage" and status == 200:
            items = payload["articles"] if source == newsapi.SOURCE else payload["response"]["results"]
            items[:0] = garbage_items(source, items[0] if items else {})
        body = json.dumps(payload).encode()
        if fault == "malformed":
            body = body[: len(body) // 2]
        self._send(status, body, "application/json; charset=utf-8", trickle=fault == "trickle")

    def _has_key(self, source, params):
        if source == newsapi.SOURCE:
            return bool(self.headers.get("X-Api-Key") or params.get("apiKey") or self.headers.get("Authorization"))
        return bool(params.get("api-key"))

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
