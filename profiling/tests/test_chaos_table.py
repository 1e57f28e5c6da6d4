"""The fault suite's report and command line (the suite itself runs in `make chaos`, not here)."""

from conftest import manage
from profiling.chaos.table import Row, markdown, plain, summary


def test_a_row_meets_its_aim_until_an_expectation_fails():
    row = Row("redis killed", requests=10)
    assert row.expect(True, "never said") is True
    assert row.met
    assert row.verdict == "met"

    row.expect(False, "3 answers not 200")

    assert not row.met
    assert row.verdict == "FAILED: 3 answers not 200"


def test_it_names_the_honest_limit_a_met_row_relies_on():
    assert Row("crash", rows_lost=2, limit="asynchronous commit").verdict == "met (asynchronous commit)"


def test_the_plain_table_wraps_what_happened_and_aligns_the_figures():
    rows = [Row("upstream 500", happened="word " * 30, requests=6), Row("x", requests=1234, server_errors=1)]

    lines = plain(rows, wrap=40).splitlines()

    assert lines[0].split() == ["fault", "what", "happened", "requests", "sent", "5xx", "seen", "rows", "lost", "aim"]
    assert len(lines) == 1 + 4 + 1  # the heading, the first row on four lines, the second on one
    assert all(len(line) <= len(lines[0]) + 10 for line in lines)
    assert lines[1].index("6  ") == lines[5].index("1234") + 3  # right-aligned figures


def test_the_markdown_table_escapes_pipes_and_sums_up():
    rows = [Row("a | b", happened="one\ntwo"), Row("c", failures=["lost 1 row"])]

    text = markdown(rows)

    assert text.splitlines()[2] == "| a \\| b | one two | 0 | 0 | 0 | met |"
    assert text.splitlines()[3].endswith("| FAILED: lost 1 row |")
    assert summary(rows) == "1 of 2 faults missed their aim: c."
    assert summary(rows[:1]).startswith("All 1 faults met their aim")


def test_the_command_says_what_it_needs():
    completed = manage("chaos", DEBUG="true")

    assert completed.returncode == 1
    assert completed.stderr.strip() == (
        "CommandError: The fault suite needs PostgreSQL and Redis: set DATABASE_URL=postgres://... and REDIS_URL."
    )
