"""The fault suite's run: a scratch database and the sandbox, each family of faults in turn, a row per fault."""

import secrets
from datetime import UTC, datetime
from importlib import import_module
from pathlib import Path

from django.conf import settings

from profiling.api_profile import _database_url
from profiling.ingest_benchmark import scratch_database
from profiling.sandbox import Sandbox, SandboxConfig

from .harness import Context, quiet_sandbox
from .table import crashed

# One module of this package per family, run in this order.
FAMILIES = ("upstream", "kills", "locks", "database", "cache", "inputs")


def run(report, families=tuple(FAMILIES)):
    """Run each family of faults named in `families`; return their rows. A family that breaks is a failed row."""
    log_dir = Path(settings.BASE_DIR) / "var" / "chaos"
    log_dir.mkdir(parents=True, exist_ok=True)
    # A clock stopped at the start: every run of the suite sees the same stories, whatever the time.
    sandbox = Sandbox(SandboxConfig(latency=0, clock=datetime.now(UTC))).start()
    rows = []
    try:
        with scratch_database("_chaos"), quiet_sandbox(sandbox):  # beside make profile's _scratch
            context = Context(
                sandbox=sandbox,
                database_url=_database_url(),
                redis_url=settings.REDIS_URL,
                log_dir=log_dir,
                report=report,
            )
            context.service = service_environ(context)
            for name in families:
                report(f"{name}: starting")
                try:
                    rows.extend(import_module(f"{__package__}.{name}").run(context))
                except Exception as exc:  # the suite must go on and say which family broke
                    rows.append(crashed(name, exc))
    finally:
        sandbox.stop()
    return rows


def service_environ(context):
    """Production settings (DEBUG off), the scratch database, the sandbox as both upstreams, budgets lifted."""
    return {
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": context.database_url,
        "REDIS_URL": context.redis_url,
        "CACHE_TTL": "300",
        "LOG_LEVEL": "WARNING",
        "NEWSAPI_BASE_URL": context.sandbox.base_url,
        "GUARDIAN_BASE_URL": context.sandbox.base_url,
        "NEWSAPI_KEY": "fault-suite",
        "GUARDIAN_API_KEY": "fault-suite",
        "NEWSAPI_DAILY_REQUESTS": str(10**9),
        "GUARDIAN_DAILY_REQUESTS": str(10**9),
        "GUARDIAN_REQUESTS_PER_SECOND": "0",
        "GUNICORN_WORKERS": "2",
    }
