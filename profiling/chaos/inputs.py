"""
What a client can send: bad values on every query parameter of every endpoint the live OpenAPI schema lists (and
the Atom feed, which it leaves out), unknown parameters, bad ids (fuzz.py), bad Host headers, methods the
endpoints do not take, and a flood of made-up API keys. Never a 5xx: a bad value gets a 4xx with a JSON body, or a
200 where it is only unusual; made-up keys get 401 and, past API_AUTH_FAILURE_LIMIT per client address, 429.

The requests are written byte for byte (http.client), so that what reaches gunicorn is exactly what is listed:
escapes of invalid UTF-8 and of lone surrogates included. The list is not random: the same schema gives the same
requests every run.
"""

import http.client
import json
import secrets
from collections import Counter
from urllib.parse import urlsplit

from articles.models import Article
from profiling.gunicorn_process import GunicornProcess
from stories.models import Story

from .cache import limitless
from .fuzz import requests_from, with_the_feed
from .harness import create_key, manage
from .servers import RedisServer
from .table import Row

REDIS_PORT = 6392
BAD_HOSTS = ["evil.example.com", "", "127.0.0.1:99999", "a" * 300, "[::1", "127.0.0.1.", "évil.com", "127.0.0.1 x"]
METHODS = ("POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE", "BREW")
FLOOD = 150
SOME_CATEGORIES = ("--category=technology", "--category=sports")


def run(context):
    key = create_key(context.environ())
    if not Article.objects.exists():  # run alone (--only inputs): filters, pages and stories need something stored
        manage(context.environ(), "fetch_articles", "-v", "0", *SOME_CATEGORIES)
    token = create_feed_token(context.environ(), key)
    ids = {
        "/api/articles/{id}/": Article.objects.order_by("id").values_list("id", flat=True).first() or 1,
        "/api/stories/{id}/": Story.objects.order_by("id").values_list("id", flat=True).first() or 1,
    }
    with RedisServer(REDIS_PORT, context.log_dir) as redis:
        environ = {**limitless(context), "REDIS_URL": redis.url, "API_AUTH_FAILURE_LIMIT": "60/min"}
        with GunicornProcess(context.log_dir, environ, ready_path="/health/ready/") as server:
            client = Client(server.base_url, key)
            schema = json.loads(client.send("GET", "/api/schema/", {})[2])
            context.report("inputs: bad values on every query parameter of the schema's endpoints, bad ids")
            fuzz = requests_from(schema, ids=ids, token=token)
            rows = [client.row("bad inputs on every parameter of every endpoint", fuzz, only_json_refusals=True)]
            context.report("inputs: bad Host headers, wrong methods")
            hosts = [("GET", path, {"Host": host}) for host in BAD_HOSTS for path in ("/api/articles/", "/health/")]
            rows.append(client.row("bad Host headers", hosts, refused=True))
            paths = [path.format(id=ids.get(path)) for path in with_the_feed(schema)]
            wrong = [(method, path, {}) for path in paths for method in METHODS]
            rows.append(client.row("POST, OPTIONS, … on GET-only endpoints", wrong))
            context.report("inputs: a flood of made-up API keys")
            rows.append(flood(Client(server.base_url, None)))
    return rows


def create_feed_token(environ, key):
    """A feed token of `key`, made as an operator makes one."""
    completed = manage(environ, "create_feed_token", key.split(".")[0], "--name", "fault suite")
    if completed.returncode:
        raise RuntimeError(f"create_feed_token failed: {completed.stderr.strip()}")
    return completed.stdout.strip().splitlines()[-1]


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

    def row(self, fault, requests, *, refused=False, only_json_refusals=False):
        """`refused`: each request should get a 4xx; those that do not are named (no failure: only a 5xx is).
        `only_json_refusals`: each answer must be a 200 or a 4xx with a JSON body (a failure otherwise)."""
        statuses, not_json, errors, accepted, plain = Counter(), 0, [], [], []
        for method, path, headers in requests:
            status, content_type, body = self.send(method, path, headers)
            statuses[status] += 1
            if refused and status < 400:
                accepted.append(headers.get("Host", path))
            if status >= 500 and len(errors) < 3:
                errors.append(f"{method} {path[:80]} → {status}")
            if 400 <= status < 500 and not _is_json(content_type, body):
                not_json += 1
                plain += [f"{method} {path[:60]} → {status}"] if len(plain) < 3 else []
        server_errors = sum(count for status, count in statuses.items() if status >= 500)
        happened = _statuses(statuses)
        if not_json:
            happened += f"; {not_json} 4xx not JSON (gunicorn's own: a request line too long): {', '.join(plain)}"
        if accepted:
            happened += f"; answered: {', '.join(sorted(set(accepted)))} (a host it serves, spelled otherwise)"
        row = Row(fault, happened=happened, requests=len(requests), server_errors=server_errors)
        row.expect(server_errors == 0, f"{server_errors} 5xx: {', '.join(errors)}")
        if only_json_refusals:
            others = sum(count for status, count in statuses.items() if status != 200 and not 400 <= status < 500)
            row.expect(not not_json and not others, f"{not_json} 4xx not JSON, {others} neither 200 nor 4xx")
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
