from datetime import UTC, datetime, timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from articles.models import Article
from stories import scale
from stories.measure import Labelled

NOON = datetime(2014, 3, 10, 12, tzinfo=UTC)

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


@pytest.mark.parametrize(
    ("sizes", "message"),
    [("10k", "--sizes must be whole numbers"), ("100,10", "--sizes must be 0 or more, in increasing order")],
)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL: set DATABASE_URL=postgres://...")
def test_its_scale_refuses_bad_sizes_in_one_sentence(tmp_path, sizes, message):
    path = tmp_path / "labelled.csv"
    path.write_text(HEADER + f'0,"{ROWS[0][0]}",http://x/0,A,b,gox,x,1394470370698\n')
    with pytest.raises(CommandError, match=f"^{message}"):
        call_command("bench_stories", "--csv", str(path), "--scale", "--sizes", sizes, stdout=StringIO())


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL: set DATABASE_URL=postgres://...")
def test_its_scale_groups_the_labelled_set_over_each_size_of_background():
    rows = [
        Labelled(title, publisher, NOON + timedelta(minutes=n), story)
        for n, (title, publisher, story) in enumerate(ROWS)
    ]
    lines = []
    scale.run(rows, sizes=[0, 40], batch=2, report=lines.append)
    assert [line.split(" stored")[0].strip() for line in lines] == ["4", "44"]
    assert "(ARI 1.000, precision 1.000)" in lines[0]  # the labelled set alone
    assert all(" 4 grouped in " in line and "articles/s (ARI " in line for line in lines)
    assert Article.objects.count() == 40  # the background stays; the labelled articles are gone
    assert not Article.objects.filter(story=None).exists()
