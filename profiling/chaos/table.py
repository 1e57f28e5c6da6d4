"""The fault suite's report: one row per fault, its aim met or not, as a plain table and as markdown."""

import textwrap
from dataclasses import dataclass

COLUMNS = ("fault", "what happened", "requests sent", "5xx seen", "rows lost", "aim")


@dataclass
class Row:
    """One fault's outcome. `failures` lists each aim it missed (empty: met); `limit` names the README's honest
    limit that allows what a row would otherwise fail for (rows lost in a crash)."""

    fault: str
    happened: str = ""
    requests: int = 0
    server_errors: int = 0
    rows_lost: int = 0
    failures: list[str] | None = None
    limit: str = ""

    def __post_init__(self):
        self.failures = list(self.failures or [])

    def expect(self, condition, failure):
        """Record `failure` unless `condition` holds; return the condition."""
        if not condition:
            self.failures.append(failure)
        return condition

    @property
    def met(self):
        return not self.failures

    @property
    def verdict(self):
        if self.failures:
            return "FAILED: " + "; ".join(self.failures)
        return f"met ({self.limit})" if self.limit else "met"

    def cells(self):
        return (
            self.fault,
            self.happened,
            str(self.requests),
            str(self.server_errors),
            str(self.rows_lost),
            self.verdict,
        )


def crashed(fault, exc):
    """The row of a fault whose run itself broke: a failure, saying how."""
    return Row(fault, happened=f"the fault suite broke: {type(exc).__name__}: {exc}", failures=["did not run"])


def plain(rows, *, wrap=60):
    """A fixed-width table for the terminal: the figures right-aligned, the text columns wrapped at `wrap`."""
    wrapped = [[textwrap.wrap(text, wrap) or [""] for text in line] for line in [COLUMNS, *(r.cells() for r in rows)]]
    widths = [max(len(part) for line in wrapped for part in line[i]) for i in range(len(COLUMNS))]
    figures = {2, 3, 4}

    def cell(i, text):
        return text.rjust(widths[i]) if i in figures else text.ljust(widths[i])

    out = []
    for line in wrapped:
        for number in range(max(len(parts) for parts in line)):
            texts = [parts[number] if number < len(parts) else "" for parts in line]
            out.append("  ".join(cell(i, text) for i, text in enumerate(texts)).rstrip())
    return "\n".join(out)


def markdown(rows):
    def escape(cell):
        return cell.replace("|", "\\|").replace("\n", " ")

    header = "| " + " | ".join(COLUMNS) + " |"
    rule = "| " + " | ".join("---" if i < 2 or i == 5 else "---:" for i in range(len(COLUMNS))) + " |"
    body = ["| " + " | ".join(escape(cell) for cell in row.cells()) + " |" for row in rows]
    return "\n".join([header, rule, *body])


def summary(rows):
    failed = [row.fault for row in rows if not row.met]
    if failed:
        return f"{len(failed)} of {len(rows)} faults missed their aim: {', '.join(failed)}."
    return f"All {len(rows)} faults met their aim: no 5xx, no row lost beyond the README's honest limits."
