from io import StringIO

import pytest
from django.core.management import CommandError, call_command

HEADER = "ID,TITLE,URL,PUBLISHER,CATEGORY,STORY,HOSTNAME,TIMESTAMP\n"
ROWS = [
    ("Mt. Gox files for US bankruptcy protection", "A", "gox"),
    ("Bitcoin exchange Mt. Gox seeks US bankruptcy relief", "B", "gox"),
    ("Pizza chain Sbarro closes its restaurants in Ohio", "C", "sbarro"),
    ("Sbarro closes Ohio pizza restaurants", "D", "sbarro"),
]


def test_it_prints_the_scores_of_the_grouping_and_the_baseline(tmp_path):
    path = tmp_path / "labelled.csv"
    lines = [
        f'{n},"{title}",http://x/{n},{publisher},b,{story},x,{1394470370698 + n}'
        for n, (title, publisher, story) in enumerate(ROWS)
    ]
    path.write_text(HEADER + "\n".join(lines) + "\n")
    out = StringIO()
    call_command("bench_stories", "--csv", str(path), "--batch", "2", stdout=out)
    table = out.getvalue().splitlines()
    assert table[0] == "4 headlines, 2 labelled stories, batches of 2"
    assert table[2].split()[:3] == ["all", "stories", "1.000"]
    assert table[3].split()[:2] == ["all", "baseline"]


def test_it_says_in_one_sentence_that_the_csv_is_missing(tmp_path):
    with pytest.raises(CommandError, match=r"^There is no labelled CSV at .*missing\.csv: pass --csv PATH"):
        call_command("bench_stories", "--csv", str(tmp_path / "missing.csv"), stdout=StringIO())
