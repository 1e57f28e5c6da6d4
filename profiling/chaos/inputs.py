"""
What a client can send: bad values on every query parameter of every endpoint, unknown parameters, bad ids,
bad Host headers, methods the endpoints do not take, and a flood of made-up API keys. Only 4xx may come back,
never a 5xx; made-up keys get 401 and, past API_AUTH_FAILURE_LIMIT per client address, 429.

The requests are written byte for byte (http.client), so that what reaches gunicorn is exactly what is listed
here: escapes of invalid UTF-8 and of lone surrogates included. The list is fixed, not random: every run sends
the same requests.
"""

import http.client
import json
import secrets
from collections import Counter
from urllib.parse import quote, urlsplit

from articles.models import Article
from profiling.gunicorn_process import GunicornProcess

from .harness import create_key
from .servers import RedisServer
from .table import Row

REDIS_PORT = 6392
ARTICLE_PARAMETERS = ("category", "source", "q", "published_after", "published_before", "ordering", "limit", "offset")
OTHER_ENDPOINTS = ("/api/sources/", "/api/categories/", "/api/cache/stats/", "/api/schema/", "/api/docs/", "/health/")
GET_ONLY = ("/api/articles/", "/api/articles/{id}/", *OTHER_ENDPOINTS, "/health/ready/")
TEXT = [
    "", " ", "x" * 5000, "été", "日本語", "\U0001f600", "\u202e\u0000", "'; DROP TABLE articles_article; --",
    "<script>alert(1)</script>", "null", "[]", "{}", "-1", "0", "1e309", "NaN", "9" * 30, "١٢", "²", "0x10", " 7",
    "1.5", "true", "%",
]  # fmt: skip
ESCAPED = ["%ED%A0%80", "%ED%B0%80x", "%F0%9F", "%FF%FE", "%", "%zz", "%00", "%C0%AF", "%0D%0ASet-Cookie:%20x=1"]
SPECIFIC = {
    "q": [
        "-" * 33, "-" * 300, "- " * 40, "!" * 40, "&|!():*<->" * 20, '"' * 51, "a " * 40, "or " * 40, "-a " * 33,
        "\\", "'", ":*", "a:*b", "(((((", "<->" * 30, "x" * 257, "-" * 33 + "a", "a & b | !c", '"unclosed',
    ],
    "published_after": [
        "2026-13-45", "0000-00-00", "9999-12-31T23:59:59Z", "-001-01-01", "2026-11-23T25:00:00Z",
        "2026-11-23T08:00:00+99:00", "1" * 100, "2026-11-23T08:00:00.1234567891234Z", "yesterday", "1700000000",
    ],
    "limit": ["-1", "0", "101", "10" * 20, "1e3", "abc", "+5", "05", "9223372036854775808"],
    "offset": ["-1", "10" * 20, "9223372036854775808", "1.0", "-0"],
}  # fmt: skip
SPECIFIC["published_before"] = SPECIFIC["published_after"]
EXTRA_QUERIES = [
    "catgory=technology", "category=technology&category=sports", "limit[]=1", "=1", "&&&", "a" * 100 + "=1",
    "%ED%A0%80=1", "limit=5&limit=5", "q=a&q=b", "format=xml", "format=api",
]  # fmt: skip
IDS = ["0", "-1", "9" * 30, "abc", "%00", "1%20OR%201", "x" * 3000, "%ED%A0%80", "1.5"]
BAD_HOSTS = ["evil.example.com", "", "127.0.0.1:99999", "a" * 300, "[::1", "127.0.0.1.", "évil.com", "127.0.0.1 x"]
METHODS = ("POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE", "BREW")
FLOOD = 150


def run(context):
    key = create_key(context.environ())
    article_id = Article.objects.order_by("id").values_list("id", flat=True).first() or 1
    with RedisServer(REDIS_PORT, context.log_dir) as redis:
        environ = {**context.service, "REDIS_URL": redis.url, "API_AUTH_FAILURE_LIMIT": "60/min"}
        with GunicornProcess(context.log_dir, environ, ready_path="/health/ready/") as server:
            client = Client(server.base_url, key)
            context.report("inputs: bad query parameters and ids")
            rows = [client.row("bad inputs on every parameter of every endpoint", fuzzed(article_id))]
            context.report("inputs: bad Host headers, wrong methods")
            hosts = [("GET", path, {"Host": host}) for host in BAD_HOSTS for path in ("/api/articles/", "/health/")]
            rows.append(client.row("bad Host headers", hosts, refused=True))
            wrong = [(method, path.format(id=article_id), {}) for path in GET_ONLY for method in METHODS]
            rows.append(client.row("POST, OPTIONS, … on GET-only endpoints", wrong))
            context.report("inputs: a flood of made-up API keys")
            rows.append(flood(Client(server.base_url, None)))
    return rows


def fuzzed(article_id):
    """Every request of the fuzz: (method, path, headers)."""
    queries = []
    for name in ARTICLE_PARAMETERS:
        queries += [f"{name}={quote(value, safe='')}" for value in TEXT + SPECIFIC.get(name, [])]
        queries += [f"{name}={value}" for value in ESCAPED]
    paths = [f"/api/articles/?{query}" for query in queries + EXTRA_QUERIES]
    paths += [f"/api/articles/{quote(ident, safe='%')}/" for ident in IDS] + [f"/api/articles/{article_id}/?limit=5"]
    for endpoint in OTHER_ENDPOINTS:
        paths += [f"{endpoint}?{query}" for query in EXTRA_QUERIES[:3] + queries[::40]]
    return [("GET", path, {}) for path in paths]


class Client:
    """Requests written as listed, with `key` (if any) in X-Api-Key; answers counted by status."""

    def __init__(self, base_url, key):
        address = urlsplit(base_url)
        self.host, self.port, self.key = address.hostname, address.port, key

    def send(self, method, path, headers):
        connection = http.client.HTTPConnection(self.host, self.port, timeout=60)
        try:
            connection.putrequest(method, path, skip_host="Host" in headers, skip_accept_encoding=True)
            for name, value in {**({"X-Api-Key": self.key} if self.key else {}), **headers}.items():
                connection.putheader(name, value.encode("latin-1", "replace"))
            connection.endheaders()
            response = connection.getresponse()
            return response.status, response.getheader("Content-Type", ""), response.read()
        finally:
            connection.close()

    def row(self, fault, requests, *, refused=False):
        """`refused`: each request should get a 4xx; those that do not are named (no failure: only a 5xx is)."""
        statuses, not_json, errors, accepted = Counter(), 0, [], []
        for method, path, headers in requests:
            status, content_type, body = self.send(method, path, headers)
            statuses[status] += 1
            if refused and status < 400:
                accepted.append(headers.get("Host", path))
            if status >= 500 and len(errors) < 3:
                errors.append(f"{method} {path[:80]} → {status}")
            if 400 <= status < 500 and not _is_json(content_type, body):
                not_json += 1
        server_errors = sum(count for status, count in statuses.items() if status >= 500)
        happened = _statuses(statuses)
        if not_json:
            happened += f"; {not_json} 4xx not JSON (gunicorn's own: a request line too long)"
        if accepted:
            happened += f"; answered: {', '.join(sorted(set(accepted)))} (a host it serves, spelled otherwise)"
        row = Row(fault, happened=happened, requests=len(requests), server_errors=server_errors)
        row.expect(server_errors == 0, f"{server_errors} 5xx: {', '.join(errors)}")
        return row


def flood(client):
    """Made-up keys, one request each, from one address: 401s, then 429s once the failures are limited."""
    statuses = Counter(client.send("GET", "/api/articles/", {"X-Api-Key": _made_up()})[0] for _ in range(FLOOD))
    server_errors = sum(count for status, count in statuses.items() if status >= 500)
    row = Row(f"{FLOOD} made-up API keys", happened=_statuses(statuses), requests=FLOOD, server_errors=server_errors)
    row.expect(server_errors == 0, f"{server_errors} 5xx")
    row.expect(set(statuses) <= {401, 429}, "answers other than 401 and 429")
    # 60/min in fixed windows: up to 120 may get their 401 if the flood straddles two windows.
    row.expect(statuses[429] >= FLOOD - 120, f"only {statuses[429]} answered 429 (API_AUTH_FAILURE_LIMIT=60/min)")
    return row


def _made_up():
    return f"{secrets.token_urlsafe(6)[:8]}.{secrets.token_urlsafe(24)}"


def _is_json(content_type, body):
    if "json" not in content_type:
        return False
    try:
        json.loads(body)
    except ValueError:
        return False
    return True


def _statuses(statuses):
    return ", ".join(f"{count} answered {status}" for status, count in sorted(statuses.items()))
