"""
Upstream errors and bad payloads, through the sandbox's fault modes: the Guardian misbehaves while NewsAPI
answers well. `fetch_articles` must finish and print its summary, store every good page (NewsAPI's all, the
Guardian's all when the fault passes or is an odd item, the pages before it when it does not) and exit 0 when
every source succeeded, 1 when the faulty one failed, never with a traceback.
"""

import traceback
from dataclasses import dataclass
from io import StringIO
from textwrap import shorten

from django.core.management import CommandError, call_command
from django.test.utils import override_settings

from articles.models import Article, IngestRun
from profiling.ingest_benchmark import upstream_settings

from .table import Row

CATEGORIES = ["technology", "sports"]
FAULTY = "guardian"


@dataclass
class Case:
    fault: str
    kind: str
    after: int = 0
    times: int | None = None
    # "all": the Guardian stores every good item; "before": it fails, keeping the pages before the fault; "none": it
    # fails at its first request.
    kept: str = "none"


CASES = [
    Case("upstream 500, twice, then good", "500", times=2, kept="all"),
    Case("upstream 429 with Retry-After, twice", "429", times=2, kept="all"),
    Case("upstream 429 without Retry-After, twice", "429-no-retry-after", times=2, kept="all"),
    Case("upstream 500, every time", "500"),
    Case("upstream 429, every time", "429"),
    Case("upstream 502 as an HTML page", "html"),
    Case("upstream 401: the key refused", "401"),
    Case("upstream redirect to another host", "redirect"),
    Case("truncated JSON from the 2nd request on", "malformed", after=1, kept="before"),
    Case("answer slower than UPSTREAM_TIMEOUT", "slow"),
    Case("answer trickling in, a byte at a time", "trickle"),
    Case("garbage items among good ones", "garbage", kept="all"),
    Case("a lone surrogate in a title", "surrogate", kept="all"),
    Case("an item of more than 1 MB", "oversized", kept="all"),
]

QUICK = {
    "UPSTREAM_BACKOFF": 0.05,  # retries without Retry-After: what matters is that they happen, not the wait
    "UPSTREAM_TIMEOUT": 3,  # generous for good answers on a loaded machine; the slow fault takes 8 s
    "UPSTREAM_SOURCE_TIMEOUT": 10,
    "GUARDIAN_PAGE_SIZE": 100,  # sports (two sections) takes several pages: "the pages before the fault" exist
}


def run(context):
    sandbox = context.sandbox
    sandbox.config.slow_seconds, sandbox.config.trickle_interval = 8.0, 0.05
    with upstream_settings(sandbox.base_url), override_settings(**QUICK):
        clean = {}
        for source in ("newsapi", FAULTY):  # each alone: a story both list is stored once, as the Guardian's
            _clear()
            code, _, err = _fetch("--source", source)
            if code:
                raise RuntimeError(f"the clean run of {source} failed: {err.strip()}")
            clean[source] = _urls()
        rows = []
        for case in CASES:
            context.report(f"upstream: {case.fault}")
            rows.append(_one(case, sandbox, clean))
        sandbox.config.faults.clear()
    _clear()
    return rows


def _one(case, sandbox, clean):
    _clear()
    sandbox.reset(sandbox.config)  # the requests counted from 0 again: a fault's `after` counts from here
    sandbox.set_fault(FAULTY, case.kind, after=case.after, times=case.times)
    try:
        code, out, err = _fetch()
    finally:
        sandbox.config.faults.clear()
    stored = _urls()
    statuses = dict(IngestRun.objects.values_list("source", "status"))
    guardian = Article.objects.filter(source=FAULTY).count()
    guardian_lost = len(clean[FAULTY] - stored) if case.kept == "all" else 0
    row = Row(
        case.fault,
        happened=f"exit {code}; guardian {statuses.get(FAULTY)}, {guardian} rows; newsapi {statuses.get('newsapi')}",
        requests=len(sandbox.requests),
        rows_lost=len(clean["newsapi"] - stored) + guardian_lost,
    )
    row.expect("source    status" in out, "no summary printed")
    row.expect("Traceback" not in err, "a traceback")
    row.expect(statuses.get("newsapi") == "ok", "newsapi did not succeed")
    if case.kept == "all":
        row.expect(code == 0 and statuses.get(FAULTY) == "ok", f"guardian did not succeed (exit {code})")
    else:
        row.expect(code == 1 and statuses.get(FAULTY) == "failed", f"guardian did not fail as it should (exit {code})")
        failure = next((line for line in err.splitlines() if line.strip() and "CommandError" not in line), "")
        row.happened += f": {shorten(failure.strip(), 90)!r}" if failure else ""
    if case.kept == "before":
        row.expect(guardian > 0, "the guardian page before the fault was not kept")
    row.expect(row.rows_lost == 0, f"{row.rows_lost} good rows lost")
    return row


def _fetch(*options):
    """fetch_articles as an operator runs it (in this process, for speed): exit status, stdout, stderr."""
    out, err = StringIO(), StringIO()
    categories = [f"--category={category}" for category in CATEGORIES]
    try:
        call_command("fetch_articles", "-v", "0", *categories, *options, stdout=out, stderr=err)
        code = 0
    except CommandError as exc:
        err.write(f"CommandError: {exc}\n")
        code = exc.returncode
    except Exception:  # what would reach an operator as a traceback: this row fails, the others go on
        err.write(traceback.format_exc())
        code = "a traceback"
    return code, out.getvalue(), err.getvalue()


def _urls():
    return set(Article.objects.values_list("url", flat=True))


def _clear():
    Article.objects.all().delete()
    IngestRun.objects.all().delete()
