from datetime import UTC, datetime
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from articles.models import Article
from stories.models import Story
from stories.services import refresh_stories

NOON = datetime(2026, 11, 23, 12, tzinfo=UTC)
GOX = "Bitcoin exchange Mt. Gox files for US bankruptcy protection"


def rebuild(*args):
    out = StringIO()
    call_command("cluster_stories", "--rebuild", "--no-progress", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def stored(make_articles):
    """Four articles stored without stories: three of one event, one of another."""
    make_articles(3, title=GOX, published_at=NOON)
    make_articles(1, title="Pizza chain Sbarro closes its restaurants in Ohio", published_at=NOON)
    return Article.objects.order_by("id")


def test_it_regroups_every_stored_article_and_says_so(stored):
    summary = rebuild()
    assert not stored.filter(story=None).exists()
    assert len({article.story_id for article in stored[:3]}) == 1
    assert summary.startswith(
        "Regrouped 4 articles into 2 stories (1 of more than one article, the largest of 3; 0 kept"
    )


def test_it_regroups_only_the_articles_since_a_date(stored, make_articles):
    rebuild()
    before = {article.id: article.story_id for article in stored}
    (later,) = make_articles(1, title=GOX, published_at=datetime(2026, 11, 25, tzinfo=UTC))
    assert rebuild("--since", "2026-11-24").startswith("Regrouped 1 articles into 1 stories")
    assert {article.id: article.story_id for article in stored.exclude(pk=later.pk)} == before


def test_it_keeps_an_operators_story_as_it_is(stored):
    rebuild()
    moved = stored.first()
    own = Story.objects.create(manual=True, first_published_at=NOON, last_published_at=NOON)
    Article.objects.filter(pk=moved.pk).update(story=own)
    refresh_stories([own.pk, stored.last().story_id])
    assert "1 kept as an operator left them" in rebuild()
    assert Article.objects.get(pk=moved.pk).story_id == own.pk


def test_it_rejects_a_since_without_a_date(db):
    with pytest.raises(CommandError, match="since"):
        rebuild("--since", "yesterday")


def test_it_waits_for_no_ingest(ingest_lock_held_elsewhere):
    with pytest.raises(CommandError, match="holds the ingest lock"):
        rebuild()
