"""
Redis gone under API load, with a redis-server of the suite's own: killed (and started again), then frozen with
SIGSTOP (it accepts connections and never answers). The API served by gunicorn must keep answering every
request with a 200, from the database, and serve pages from the cache again once Redis is back.
"""

from profiling.gunicorn_process import GunicornProcess

from .harness import Load, create_key, wait_for
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
    rows = []
    with RedisServer(PORT, context.log_dir) as redis:
        environ = {**limitless(context), "REDIS_URL": redis.url}
        with GunicornProcess(context.log_dir, environ, ready_path="/health/ready/") as server:
            for name, fault, recover in (
                ("Redis killed under API load, then started", redis.kill, redis.start),
                ("Redis frozen (SIGSTOP) under API load, then thawed", redis.freeze, redis.thaw),
            ):
                context.report(f"cache: {name}")
                rows.append(_phases(name, server.base_url, key, fault, recover))
    return rows


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
