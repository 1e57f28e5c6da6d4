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
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import requests
from django.conf import settings
from django.db import connection
from rest_framework_api_key.models import APIKey

from articles.models import Category
from articles.services.ingest import ingest

from .ingest_benchmark import scratch_database, upstream_settings
from .sandbox import sandbox_process

HEY_MISSING = "hey is not installed: apt-get install hey (Debian, Ubuntu) or brew install hey (macOS)."
GUNICORN = str(Path(sys.executable).with_name("gunicorn"))


@dataclass
class Case:
    role: str
    name: str
    path: str
    needs_key: bool = True
    cache_ttl: int = 300


CASES = [
    Case("ceiling", "framework ceiling: a constant view (/health/)", "/health/", needs_key=False),
    Case("uncached", "uncached list (CACHE_TTL=0)", "/api/articles/?category=technology", cache_ttl=0),
    Case("cached", "cached list", "/api/articles/?category=technology"),
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


def hey_is_installed():
    return shutil.which("hey") is not None


def run(*, duration, warm_up, concurrency, report):
    """Measure every case; call report(line) as it goes; return the Results."""
    with scratch_database():
        database_url = _database_url()
        key = _fill_with_sandbox_data()
        results = []
        for case in CASES:
            headers = {"X-Api-Key": key} if case.needs_key else {}
            with _gunicorn(database_url, cache_ttl=case.cache_ttl) as base_url:
                report(f"{case.name}: warming up {warm_up} s, then {duration} s at {concurrency} concurrent")
                _hey(base_url + case.path, headers, warm_up, concurrency)
                before = _cache_stats(base_url, key)
                result = _parse(case, _hey(base_url + case.path, headers, duration, concurrency))
                after = _cache_stats(base_url, key)
                if case.role == "cached":
                    result.cache = {name: after[name] - before[name] for name in ("hits", "misses")}
                results.append(result)
        return results


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


class _gunicorn:
    """gunicorn as production runs it, on a free port, with its logs in a temporary file."""

    def __init__(self, database_url, *, cache_ttl):
        self.database_url = database_url
        self.cache_ttl = cache_ttl

    def __enter__(self):
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        log_path = Path(settings.BASE_DIR) / "var" / "profile-gunicorn.log"
        log_path.parent.mkdir(exist_ok=True)
        self.log = open(log_path, "w")
        env = {
            "PATH": os.environ["PATH"],
            "ENV_FILE": "",
            "DEBUG": "false",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": "127.0.0.1",
            "DATABASE_URL": self.database_url,
            "REDIS_URL": settings.REDIS_URL,
            "CACHE_TTL": str(self.cache_ttl),
            "API_RATE_LIMIT": "100000000/min",  # the load is one key's; the limit is not what is measured
            "HOST": "127.0.0.1",
            "PORT": str(port),
            # gunicorn's own settings (GUNICORN_WORKERS, …) as the caller sets them, else deploy/gunicorn.conf.py's
            **{name: value for name, value in os.environ.items() if name.startswith("GUNICORN_")},
        }
        self.process = subprocess.Popen(  # noqa: S603 (our own command line)
            [GUNICORN, "--config", "deploy/gunicorn.conf.py"],
            cwd=settings.BASE_DIR,
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        base_url = f"http://127.0.0.1:{port}"
        for _ in range(100):
            try:
                if requests.get(base_url + "/health/ready/", timeout=5).json()["status"] == "ok":
                    return base_url
            except (requests.RequestException, ValueError):
                pass
            time.sleep(0.1)
        self.__exit__(None, None, None)
        raise RuntimeError(f"gunicorn did not become ready; see {self.log.name}")

    def __exit__(self, *exc):
        self.process.send_signal(signal.SIGTERM)
        self.process.wait(timeout=60)
        self.log.close()


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


def markdown(results, *, command, concurrency, duration):
    """The report for docs/BENCHMARKS.md: the command, the machine, the date, a row per case, the ratios."""
    ceiling = next(r for r in results if r.case.role == "ceiling").requests_per_second
    rows = [
        f"| {r.case.name} | `{r.case.path}` | {r.requests_per_second:,.0f} | {r.average_ms:.1f} | {r.p95_ms:.1f} | "
        f"{r.p99_ms:.1f} | {r.requests_per_second / ceiling:.2f} | "
        + ", ".join(f"{count:,} answered {code}" for code, count in sorted(r.statuses.items()))
        + " |"
        for r in results
    ]
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return "\n".join(
        [
            f"Command: `{command}` ({duration} s a case at {concurrency} concurrent, after a warm-up; "
            f"gunicorn with deploy/gunicorn.conf.py's defaults, DEBUG off, PostgreSQL and Redis).",
            f"Machine: {os.cpu_count()} cores, {memory:.0f} GiB, Python {sys.version.split()[0]}, "
            "hey as the load generator on the same machine. "
            f"Date: {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}.",
            "",
            "| case | path | req/s | average ms | p95 ms | p99 ms | of the ceiling | answers |",
            "| --- | --- | --- | --- | --- | --- | --- | --- |",
            *rows,
            "",
            *[f"- {line}" for line in aims(results)],
        ]
    )


def aims(results):
    """Each aim of the page cache's issue, met or missed by how much, from this run's figures."""
    by_role = {result.case.role: result for result in results}
    ceiling, uncached, cached = by_role["ceiling"], by_role["uncached"], by_role["cached"]
    cache = cached.cache
    lookups = cache["hits"] + cache["misses"]
    hit_rate = 100 * cache["hits"] / lookups if lookups else 0.0

    def check(what, value, aim, *, at_least=True, unit=""):
        met = value >= aim if at_least else value <= aim
        verdict = "met" if met else f"missed by {abs(value - aim):,.2f}{unit}"
        sign = "≥" if at_least else "≤"
        return f"{what}: {value:,.2f}{unit} (aim {sign} {aim:,}{unit}): {verdict}."

    return [
        check("Cached list against the ceiling", cached.requests_per_second / ceiling.requests_per_second, 0.75),
        check("Cached list p99", cached.p99_ms, 15, at_least=False, unit=" ms"),
        check("Uncached list", uncached.requests_per_second, 300, unit=" req/s"),
        check(
            f"Hit rate during the cached case ({cache['hits']:,} hits, {cache['misses']:,} misses)",
            hit_rate,
            99,
            unit=" %",
        ),
        f"Cached list: {cached.requests_per_second / uncached.requests_per_second:.1f} times the uncached requests/s.",
    ]
