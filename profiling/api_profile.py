"""
The API under load, the way production serves it: gunicorn with deploy/gunicorn.conf.py,
DEBUG off, PostgreSQL and Redis, sandbox data, and `hey` making the requests.

Each case runs for a fixed time at a fixed concurrency after a warm-up, one after the
other in one run, so that their ratios are comparable on a noisy machine. The data
lives in a scratch database created and dropped here.
"""

import os
import re
import secrets
import shutil
import subprocess
import sys
import time
from contextlib import ExitStack
from dataclasses import dataclass, field, replace
from pathlib import Path

import requests
from django.conf import settings
from django.db import connection
from rest_framework_api_key.models import APIKey

from articles.models import Category
from articles.services.ingest import ingest

from .gunicorn_process import GunicornProcess
from .ingest_benchmark import scratch_database, upstream_settings
from .sandbox import sandbox_process

HEY_MISSING = "hey is not installed: apt-get install hey (Debian, Ubuntu) or brew install hey (macOS)."
LIST = "/api/articles/?category=technology"


@dataclass
class Case:
    role: str
    name: str
    path: str
    needs_key: bool = True
    environ: dict = field(default_factory=dict)  # for its gunicorn, over the service's production settings
    arguments: tuple = ()  # for its gunicorn's command line
    ready_path: str = "/health/ready/"


CASES = [
    Case(
        "ceiling",
        "ceiling: a bare Django view (2 middlewares, no database)",
        "/",
        needs_key=False,
        environ={"DJANGO_SETTINGS_MODULE": "profiling.ceiling.settings"},
        ready_path="/",
    ),
    Case("stack", "a constant view through the service's middleware (/health/)", "/health/", needs_key=False),
    Case(
        "seed",
        "the seed's design: FastAPI, aiocache @cached on Redis",
        LIST,
        needs_key=False,
        arguments=("--worker-class", "uvicorn.workers.UvicornWorker", "profiling.seed_app:app"),
        ready_path="/health",
    ),
    Case("uncached", "uncached list (CACHE_TTL=0)", LIST, environ={"CACHE_TTL": "0"}),
    Case("cached", "cached list", LIST),
]


@dataclass
class Result:
    case: Case
    requests_per_second: float
    average_ms: float
    p95_ms: float
    p99_ms: float
    statuses: dict
    cache: dict | None = None  # the page cache's hits and misses during the case
    rounds: list = field(default_factory=list)  # requests/s of every round


def hey_is_installed():
    return shutil.which("hey") is not None


def run(*, duration, warm_up, concurrency, rounds, report):
    """Measure every case `rounds` times, the cases taking turns, so that a machine slowing down or speeding up
    over the run weighs on every case alike; call report(line) as it goes; return each case's median round."""
    with scratch_database():
        environ = _service_environ(_database_url())
        key = _fill_with_sandbox_data()
        log_dir = Path(settings.BASE_DIR) / "var"
        log_dir.mkdir(exist_ok=True)
        with ExitStack() as servers:
            base_urls = {
                case.role: servers.enter_context(
                    GunicornProcess(
                        log_dir, {**environ, **case.environ}, ready_path=case.ready_path, arguments=case.arguments
                    )
                ).base_url
                for case in CASES
            }
            rounds_of = {case.role: [] for case in CASES}
            for number in range(1, rounds + 1):
                for case in CASES:
                    report(f"round {number}/{rounds}, {case.name}: {warm_up} s warm-up, {duration} s measured")
                    result = _measure(case, base_urls[case.role], key, duration, warm_up, concurrency)
                    rounds_of[case.role].append(result)
        return [_median(rounds_of[case.role]) for case in CASES]


def _measure(case, base_url, key, duration, warm_up, concurrency):
    headers = {"X-Api-Key": key} if case.needs_key else {}
    _hey(base_url + case.path, headers, warm_up, concurrency)
    before = _cache_stats(base_url, key) if case.role == "cached" else None
    result = _parse(case, _hey(base_url + case.path, headers, duration, concurrency))
    if before is not None:
        after = _cache_stats(base_url, key)
        result.cache = {name: after[name] - before[name] for name in ("hits", "misses")}
    return result


def _median(results):
    """The round of median requests/s, with the answers and the cache's hits and misses of every round."""
    median = sorted(results, key=lambda result: result.requests_per_second)[len(results) // 2]
    statuses = {}
    for result in results:
        for code, count in result.statuses.items():
            statuses[code] = statuses.get(code, 0) + count
    cache = None
    if median.cache is not None:
        cache = {name: sum(result.cache[name] for result in results) for name in ("hits", "misses")}
    return replace(median, statuses=statuses, cache=cache, rounds=[r.requests_per_second for r in results])


def _service_environ(database_url):
    return {
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": database_url,
        "REDIS_URL": settings.REDIS_URL,
        "CACHE_TTL": "300",
        "API_RATE_LIMIT": "100000000/min",  # the load is one key's; the limit is not what is measured
        # gunicorn's own settings (GUNICORN_WORKERS, …) as the caller sets them, else deploy/gunicorn.conf.py's
        **{name: value for name, value in os.environ.items() if name.startswith("GUNICORN_")},
    }


def _cache_stats(base_url, key):
    return requests.get(base_url + "/api/cache/stats/", headers={"X-Api-Key": key}, timeout=10).json()


def _database_url():
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
    return f"postgres://{db['USER']}{password}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


def _fill_with_sandbox_data():
    with sandbox_process("--latency-ms", "0") as base_url, upstream_settings(base_url):
        ingest(sources=["newsapi", "guardian"], categories=Category.values)
    return APIKey.objects.create_key(name="profile")[1]


def _hey(url, headers, duration, concurrency):
    command = ["hey", "-z", f"{duration}s", "-c", str(concurrency)]
    for name, value in headers.items():
        command += ["-H", f"{name}: {value}"]
    return subprocess.run([*command, url], capture_output=True, text=True, check=True).stdout  # noqa: S603


def _parse(case, output):
    def seconds(pattern):
        return float(re.search(pattern, output).group(1)) * 1000

    statuses = {int(code): int(count) for code, count in re.findall(r"\[(\d{3})\]\s+(\d+) responses", output)}
    return Result(
        case=case,
        requests_per_second=float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
        average_ms=seconds(r"Average:\s+([\d.]+) secs"),
        p95_ms=seconds(r"95% in ([\d.]+) secs"),
        p99_ms=seconds(r"99% in ([\d.]+) secs"),
        statuses=statuses,
    )


def ratio(result, other):
    """result's requests/s over other's, round by round (each round's cases ran within a minute of each other), the
    median of those: the machine's drift between rounds moves both sides of each ratio alike."""
    ratios = sorted(mine / theirs for mine, theirs in zip(result.rounds, other.rounds, strict=True))
    return ratios[len(ratios) // 2]


def markdown(results, *, command, concurrency, duration, rounds):
    """The report for docs/BENCHMARKS.md: the command, the machine, the date, a row per case, the ratios."""
    ceiling = next(r for r in results if r.case.role == "ceiling")
    rows = [
        f"| {r.case.name} | `{r.case.path}` | {r.requests_per_second:,.0f} | {r.average_ms:.1f} | {r.p95_ms:.1f} | "
        f"{r.p99_ms:.1f} | {ratio(r, ceiling):.2f} | "
        + " / ".join(f"{value:,.0f}" for value in r.rounds)
        + " | "
        + ", ".join(f"{count:,} answered {code}" for code, count in sorted(r.statuses.items()))
        + " |"
        for r in results
    ]
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return "\n".join(
        [
            f"Command: `{command}` ({rounds} rounds, the cases taking turns, of {duration} s a case at {concurrency} "
            "concurrent after a warm-up; each row is the case's median round, its ratio to the ceiling the median of "
            "the rounds' ratios; gunicorn with "
            "deploy/gunicorn.conf.py's defaults, DEBUG off, PostgreSQL and Redis).",
            f"Machine: {os.cpu_count()} cores, {memory:.0f} GiB, Python {sys.version.split()[0]}, "
            "hey as the load generator on the same machine. "
            f"Date: {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}.",
            "",
            "| case | path | req/s | average ms | p95 ms | p99 ms | of the ceiling | req/s of each round | answers |",
            "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
            *rows,
            "",
            *[f"- {line}" for line in aims(results)],
        ]
    )


def aims(results):
    """Each aim of the page cache's issue, met or missed by how much, from this run's figures."""
    by_role = {result.case.role: result for result in results}
    ceiling, seed, uncached, cached = by_role["ceiling"], by_role["seed"], by_role["uncached"], by_role["cached"]
    cache = cached.cache
    lookups = cache["hits"] + cache["misses"]
    hit_rate = 100 * cache["hits"] / lookups if lookups else 0.0

    def check(what, value, aim, *, at_least=True, unit=""):
        met = value >= aim if at_least else value <= aim
        verdict = "met" if met else f"missed by {abs(value - aim):,.2f}{unit}"
        sign = "≥" if at_least else "≤"
        return f"{what}: {value:,.2f}{unit} (aim {sign} {aim:,}{unit}): {verdict}."

    return [
        check("Cached list against the ceiling", ratio(cached, ceiling), 0.75),
        check("Cached list against the seed", ratio(cached, seed), 1.5),
        check("Cached list p99", cached.p99_ms, 15, at_least=False, unit=" ms"),
        check("Uncached list", uncached.requests_per_second, 300, unit=" req/s"),
        check(
            f"Hit rate during the cached case ({cache['hits']:,} hits, {cache['misses']:,} misses)",
            hit_rate,
            99,
            unit=" %",
        ),
        f"Cached list: {ratio(cached, uncached):.1f} times the uncached requests/s.",
    ]
