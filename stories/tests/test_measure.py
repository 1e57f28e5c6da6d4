from datetime import UTC, datetime, timedelta

from stories.measure import Labelled, baseline, score

NOON = datetime(2026, 11, 23, 12, tzinfo=UTC)


def test_it_scores_a_perfect_grouping_as_one():
    assert score(["a", "a", "b"], [7, 7, 3]).ari == 1.0


def test_it_scores_pairs():
    scores = score(["a", "a", "a", "b"], [1, 1, 2, 2])
    assert (scores.precision, scores.recall, scores.stories) == (0.5, 1 / 3, 2)


def test_the_baseline_follows_newsblur_rules():
    title = "Mt Gox files for US bankruptcy protection today"
    rows = [Labelled(title, f"feed{n % 12}", NOON + timedelta(minutes=n), "gox") for n in range(12)]
    rows.append(Labelled("Gox bankrupt", "other", NOON, "gox"))  # under 5 words, no exact match
    labels = baseline(rows)
    assert labels[:10] == [0] * 10  # capped at 10
    assert labels[10] == labels[11] != 0
    assert labels[12] not in labels[:12]
