"""make bench-scale, tiny: it fills a scratch database, times every read, and prints the table."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.db import connection


def test_it_prints_a_row_per_read_with_a_time_per_size(transactional_db, postgres):
    output = io.StringIO()
    name = connection.settings_dict["NAME"]

    call_command("bench_scale", "--sizes", "200,300", "--repeats", "1", stdout=output)

    lines = output.getvalue().splitlines()
    assert "filled to 300 articles" in output.getvalue()
    table = lines[lines.index("| read | 200 | 300 | plan at 300 |") + 2 :]
    assert [row.split(" | ")[0] for row in table][:2] == ["| list, first page", "| `source=newsapi`"]
    assert [row.split(" | ")[0] for row in table][-3:-1] == ["| detail", "| `/api/stories/`"]
    assert table[-1].startswith("| `/api/stories/?q=")
    assert all(row.count("|") == 5 and "(500)" not in row for row in table)
    assert connection.settings_dict["NAME"] == name  # the scratch database is gone, the test one back


def test_it_refuses_sizes_it_cannot_read():
    with pytest.raises(CommandError, match="--sizes"):
        call_command("bench_scale", "--sizes", "ten")


def test_it_times_the_migrations_on_a_filled_table(transactional_db, postgres):
    output = io.StringIO()

    call_command("bench_scale", "--migrations", "200", stdout=output)

    lines = output.getvalue().splitlines()
    assert lines[0].startswith("filled to 200 articles at migration 0005")
    assert [line.split(":")[0] for line in lines[1:]] == ["migration 0006", "migration 0007", "migration 0008"]
