"""
Upstream errors and bad payloads, through the sandbox's fault modes: the Guardian misbehaves while NewsAPI
answers well. `fetch_articles` must finish and print its summary, store every good page (NewsAPI's all, the
Guardian's all when the fault passes or is an odd item, the pages before it when it does not) and exit 0 when
every source succeeded, 1 when the faulty one failed, never with a traceback. A gzip bomb and a 25 MB body
fail the source in one sentence without the ingest's memory growing by their inflated size; NewsAPI's 426
past the free plan's last result ends its paging as the end of the results.
"""

import resource
import traceback
from dataclasses import dataclass
from io import StringIO
from textwrap import shorten

from django.core.management import CommandError, call_command
from django.test.utils import override_settings

from articles.models import Article, IngestRun
from profiling.ingest_benchmark import upstream_settings
from profiling.sandbox.bodies import BODIES

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
    Case("a gzip bomb: 1 MB inflating to 1 GiB", "gzip-bomb"),
    Case("a 25 MB body", "huge-body"),
]
# How much the ingest's peak memory may grow on an answer past its 20 MB bound: far below the bomb's 1 GiB.
BODY_MEMORY_BOUND = 256 * 2**20

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
        context.report("upstream: NewsAPI's 426 past the free plan's last result")
        rows.append(_past_the_free_plan(sandbox, clean))
    _clear()
    return rows


def _one(case, sandbox, clean):
    _clear()
    sandbox.reset(sandbox.config)  # the requests counted from 0 again: a fault's `after` counts from here
    sandbox.set_fault(FAULTY, case.kind, after=case.after, times=case.times)
    if case.kind in BODIES:
        BODIES[case.kind]()  # made (once) before the peak is read: the sandbox shares this process
    peak = _peak_memory()
    try:
        code, out, err = _fetch()
    finally:
        sandbox.config.faults.clear()
    grown = _peak_memory() - peak
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
    if case.kind in BODIES:
        row.happened += f"; peak memory grew {grown // 2**20} MB"
        row.expect(grown < BODY_MEMORY_BOUND, f"the ingest's peak memory grew {grown // 2**20} MB")
    row.expect(row.rows_lost == 0, f"{row.rows_lost} good rows lost")
    return row


def _past_the_free_plan(sandbox, clean):
    """NewsAPI configured for a paid plan (no NEWSAPI_MAX_RESULTS) with a free key: its page 2 answers 426."""
    _clear()
    sandbox.reset(sandbox.config)
    stories, sandbox.config.stories_per_feed = sandbox.config.stories_per_feed, 250
    try:
        with override_settings(NEWSAPI_MAX_RESULTS=0):
            code, _, err = _fetch("--source", "newsapi")
    finally:
        sandbox.config.stories_per_feed = stories
    asked = sandbox.requests_to("newsapi")
    past = sum(int(request.params.get("page", 1)) > 1 for request in asked)
    stored = _urls()
    status = IngestRun.objects.values_list("status", flat=True).first()
    row = Row(
        "upstream 426 past the free plan's last result",
        happened=f"exit {code}; newsapi {status}, {len(stored)} rows; {past} of {len(asked)} requests answered 426",
        requests=len(asked),
        rows_lost=len(clean["newsapi"] - stored),
    )
    row.expect("Traceback" not in err, "a traceback")
    row.expect(code == 0 and status == "ok", f"newsapi did not succeed (exit {code}): {shorten(err.strip(), 90)!r}")
    row.expect(past == len(CATEGORIES), f"{past} requests past result 100, not one per category")
    row.expect(len(stored) == len(clean["newsapi"]), f"{len(stored)} rows, not the free plan's {len(clean['newsapi'])}")
    return row


def _peak_memory():
    """This process's peak resident memory so far, in bytes (Linux counts ru_maxrss in KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


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
