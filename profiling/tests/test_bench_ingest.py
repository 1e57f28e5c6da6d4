"""make bench-ingest: its options, and a tiny run that prints every figure."""

import io

import pytest
from django.core.management import CommandError, call_command


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--articles", "0"], "--articles must be at least 1."),
        (["--latency-ms", "-1"], "--latency-ms must be between 0 and 5000."),
        (["--latency-ms", "60000"], "--latency-ms must be between 0 and 5000."),
        (["--latency-ms", "fast"], "invalid int value: 'fast'"),
    ],
)
def test_it_refuses_options_it_cannot_use(args, message):
    with pytest.raises(CommandError, match=message):
        call_command("bench_ingest", *args)


def test_it_prints_the_first_runs_at_the_latency_asked_for(transactional_db, postgres):
    output = io.StringIO()

    call_command("bench_ingest", "--articles", "60", "--latency-ms", "5", stdout=output)

    lines = output.getvalue().splitlines()
    assert [line.split(":")[0] for line in lines] == [
        "first run (5 ms latency), story grouping off",
        "first run (5 ms latency), story grouping on",
        "first run (5 ms latency) with story grouping",
        "re-run",
        "200 ms latency, one page per category",
        "200 ms latency, one page per category, both at once",
    ]
    created = [int(line.split(" rows created")[0].rsplit(", ", 1)[1]) for line in lines[:2]]
    assert created[0] == created[1] > 0  # the same articles, with grouping and without
    assert " 0 rows created" in lines[3]
