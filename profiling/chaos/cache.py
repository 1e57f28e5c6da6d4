"""
Redis gone under API load, with a redis-server of the suite's own: killed (and started again), then frozen with
SIGSTOP (it accepts connections and never answers). The API served by gunicorn must keep answering every
request with a 200, from the database, and serve pages from the cache again once Redis is back.

And an API key revoked (as the admin does: the key's save()) while its pages are cached and its state remembered:
its very next request gets the 401, never the cached page nor a 304 to its ETag.
"""

import requests

from profiling.gunicorn_process import GunicornProcess

from .harness import Load, create_key, manage, wait_for
from .servers import RedisServer
from .table import Row

PORT = 6390
PAGES = [
    "/api/articles/?category=technology",
    "/api/articles/?limit=5",
    "/api/articles/?source=guardian&ordering=published_at",
    "/api/sources/",
    "/api/categories/",
]
# Requests sent in each phase: enough that every gunicorn worker meets the fault, and its recovery.
PHASE = 120


def limitless(context):
    """The service's settings with a rate limit the load never reaches: the limit is not what is tried here."""
    return {**context.service, "API_RATE_LIMIT": "100000000/min"}


def run(context):
    key = create_key(context.environ())
    with RedisServer(PORT, context.log_dir) as redis:
        environ = {**limitless(context), "REDIS_URL": redis.url}
        with GunicornProcess(context.log_dir, environ, ready_path="/health/ready/") as server:
            context.report("cache: an API key revoked while its pages are cached")
            rows = [_revoked(context.environ(REDIS_URL=redis.url), server.base_url)]  # first: every process uses Redis
            for name, fault, recover in (
                ("Redis killed under API load, then started", redis.kill, redis.start),
                ("Redis frozen (SIGSTOP) under API load, then thawed", redis.freeze, redis.thaw),
            ):
                context.report(f"cache: {name}")
                rows.append(_phases(name, server.base_url, key, fault, recover))
    return rows


def _revoked(environ, base_url):
    key = create_key(environ)
    headers = {"X-Api-Key": key}
    for path in PAGES * 2:  # each page stored, the key's state remembered
        requests.get(base_url + path, headers=headers, timeout=60).raise_for_status()
    cached = [requests.get(base_url + path, headers=headers, timeout=60) for path in PAGES]
    hits = sum(answer.headers["X-Cache"] == "HIT" for answer in cached)
    revoke = "api_key = APIKey.objects.get_from_key(KEY); api_key.revoked = True; api_key.save()"
    code = f"from rest_framework_api_key.models import APIKey; KEY = {key!r}; {revoke}"
    revoked = manage(environ, "shell", "-c", code)
    if revoked.returncode:
        raise RuntimeError(f"revoking the key failed: {revoked.stderr.strip()[-300:]}")
    answers = [requests.get(base_url + path, headers=headers, timeout=60) for path in PAGES]
    answers += [  # a poll with the page's ETag: a 304 would tell the revoked key its page is unchanged
        requests.get(base_url + path, headers={**headers, "If-None-Match": answer.headers["ETag"]}, timeout=60)
        for path, answer in zip(PAGES, cached, strict=True)
    ]
    statuses = [answer.status_code for answer in answers]
    refusal = next((answer.text for answer in answers if answer.status_code == 401), "")
    row = Row(
        "API key revoked while its pages are cached",
        happened=f"before: {hits} of {len(PAGES)} pages answered from the cache; at once after the key's save(): "
        f"{', '.join(map(str, statuses))} {refusal[:90]}",
        requests=len(PAGES) * 5,
        server_errors=sum(status >= 500 for status in statuses),
    )
    row.expect(hits == len(PAGES), f"only {hits} of {len(PAGES)} pages were cached before the revocation")
    served = statuses.count(200) + statuses.count(304)
    row.expect(set(statuses) == {401}, f"{served} cached pages served to the revoked key, answers {statuses}")
    return row


def _phases(name, base_url, key, fault, recover):
    with Load(base_url, lambda n: ("page", PAGES[n % len(PAGES)]), {"X-Api-Key": key}) as load:
        load.wait_for_more(PHASE, "with Redis up")
        fault()
        load.wait_for_more(PHASE, "with Redis down")
        recover()
        hits, back = load.hits, load.sent
        load.wait_for_more(PHASE, "after Redis came back")
        # The page cache is used again: each server process tries Redis again 5 s after it failed.
        wait_for(lambda: load.hits > hits, "a page served from the cache again")
        again = load.sent - back
    others = load.sent - load.count(status=200)
    row = Row(
        name,
        happened=f"{load.describe('page')} ({load.hits} from the cache) across the fault and the recovery; "
        f"pages from the cache again within {again} requests of Redis coming back",
        requests=load.sent,
        server_errors=load.server_errors,
    )
    row.expect(others == 0, f"{others} answers not 200: {load.problems}")
    return row
