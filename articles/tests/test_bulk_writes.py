from datetime import UTC, datetime

import pytest

from articles.services.bulk_writes import next_ids, rows_update
from stories.models import Story


@pytest.mark.django_db
def test_rows_update_writes_every_kind_of_field_exactly():
    stories = [Story.objects.create(title="old"), Story.objects.create(title="old too")]
    instant = datetime(2026, 12, 7, 5, 6, 7, 123456, tzinfo=UTC)
    stories[0].title, stories[0].last_published_at = 'It\'s "Gox" — 東京 \\ done', instant
    stories[0].publishers, stories[0].centroid = ["BBC News", "Reuters"], {"gox": 1.5, "tokyo": 0.4}
    stories[1].first_published_at, stories[1].terms_stale, stories[1].article_count = None, True, 7
    fields = ["title", "last_published_at", "first_published_at", "publishers", "centroid", "terms_stale"]
    rows_update(Story, stories, [*fields, "article_count"])
    first, second = Story.objects.order_by("id")
    assert (first.title, first.last_published_at) == ('It\'s "Gox" — 東京 \\ done', instant)
    assert (first.publishers, first.centroid) == (["BBC News", "Reuters"], {"gox": 1.5, "tokyo": 0.4})
    assert (second.title, second.first_published_at, second.terms_stale, second.article_count) == (
        "old too",
        None,
        True,
        7,
    )


@pytest.mark.django_db
def test_next_ids_are_new_and_distinct():
    taken = Story.objects.create().pk
    ids = next_ids(Story, 500)
    assert len(set(ids)) == 500
    assert min(ids) > taken
    assert next_ids(Story, 0) == []
