from datetime import UTC, datetime, timedelta

import pytest

from stories import grouping, terms
from stories.grouping import Index
from stories.terms import terms_of

NOON = datetime(2026, 11, 23, 12, tzinfo=UTC)


def group(titles, *, every=timedelta(minutes=1), window_hours=72):
    index = Index(window_hours=window_hours)
    stories = [index.assign(terms_of(title), NOON + number * every, number) for number, title in enumerate(titles)]
    index.merge_changed()
    return index, stories


def test_it_groups_headlines_of_one_event():
    _, stories = group(
        [
            "Bitcoin exchange Mt. Gox files for US bankruptcy protection",
            "Mt. Gox files for US bankruptcy to halt class action",
            "Pizza chain Sbarro closes its restaurants in Ohio",
            "Bitcoin Exchange Mt. Gox Seeks US Bankruptcy Relief",
        ]
    )
    assert stories[0] is stories[1] is stories[3]
    assert stories[2] is not stories[0]


def test_it_keeps_events_apart_outside_the_window():
    _, stories = group(["Mt. Gox files for bankruptcy protection"] * 2, every=timedelta(hours=100))
    assert stories[0] is not stories[1]


@pytest.mark.parametrize(
    "title",
    ["", "Breaking", "!!! ??? ...", "Live updates", "10 things to know", "Мт. Гокс", "比特币交易所破产", "x" * 10_000],
)
def test_it_never_crashes_on_a_bad_title(title):
    index, stories = group([title, "Mt. Gox files for bankruptcy protection", title])
    assert all(story.size for story in index.stories)
    assert len(stories) == 3


def test_it_never_makes_one_story_of_generic_titles():
    index, _ = group(["Live updates", "10 things to know", "Live updates", "What you need to know"] * 25)
    assert max(story.size for story in index.stories) == 1


def test_it_reads_a_ten_thousand_character_title_in_bounded_time():
    assert len(terms_of("word " * 2_000 + "Gox")) <= terms.MAX_TITLE_CHARACTERS


def test_it_caps_a_story_at_max_story_size(monkeypatch):
    monkeypatch.setattr(grouping, "MAX_STORY_SIZE", 5)
    index, _ = group(["Mt. Gox files for US bankruptcy protection"] * 12)
    assert max(story.size for story in index.stories) == 5
    assert sum(story.size for story in index.stories) == 12


def test_it_weighs_names_and_numbers_up_but_not_in_title_case():
    assert terms_of("Shares of Boeing fall 5%") == {"share": 1.0, "boeing": 1.5, "fall": 1.0, "5": 1.5}
    assert terms_of("Shares Of Boeing Fall")["boeing"] == 1.0


def test_it_uses_the_description_when_there_is_one():
    assert terms_of("Gox files", "Bitcoin exchange")["bitcoin"] == terms.DESCRIPTION_WEIGHT
