"""
Measuring a grouping against labelled stories: the labelled CSV (shared/datasets/README.md), the
scores (adjusted Rand index, pairwise precision, recall and F1), and the title-overlap baseline in
NewsBlur's published rules, for comparison. Used by `manage.py bench_stories`.
"""

import csv
import hashlib
import re
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from math import comb

from .grouping import Index
from .terms import STOP_WORDS, normalise, terms_of


@dataclass(frozen=True)
class Labelled:
    title: str
    publisher: str
    published_at: datetime
    story: str


def read_labelled(path):
    """The CSV's rows in time order (as an ingest would meet them)."""
    with open(path, newline="", encoding="utf-8") as file:
        rows = [
            Labelled(
                row["TITLE"],
                row["PUBLISHER"],
                datetime.fromtimestamp(int(row["TIMESTAMP"]) / 1000, UTC),
                row["STORY"],
            )
            for row in csv.DictReader(file)
        ]
    return sorted(rows, key=lambda row: row.published_at)


def half_of(story, half):
    """Whether a story label is in half "a" or half "b": a fixed split by hash, so tuning never sees half "b"."""
    return (hashlib.sha256(story.encode()).digest()[0] % 2 == 0) == (half == "a")


@dataclass(frozen=True)
class Scores:
    ari: float
    precision: float
    recall: float
    f1: float
    stories: int


def score(truth, predicted):
    """Scores of the `predicted` labels against the `truth`, two lists in the same order."""
    pairs = sum(comb(n, 2) for n in Counter(zip(truth, predicted, strict=True)).values())
    truth_pairs = sum(comb(n, 2) for n in Counter(truth).values())
    predicted_pairs = sum(comb(n, 2) for n in Counter(predicted).values())
    precision = pairs / predicted_pairs if predicted_pairs else 1.0
    recall = pairs / truth_pairs if truth_pairs else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    expected = truth_pairs * predicted_pairs / comb(len(truth), 2) if len(truth) > 1 else 0.0
    maximum = (truth_pairs + predicted_pairs) / 2
    ari = (pairs - expected) / (maximum - expected) if maximum != expected else 1.0
    return Scores(ari, precision, recall, f1, len(set(predicted)))


# NewsBlur's story clustering as it documents it: exact normalised titles first, then an overlap coefficient
# of 0.6 or more on significant words, at least 3 of them shared, titles of 5 words or more, within 120 hours,
# never two items of one feed in a cluster, at most 10 items a cluster.
BASELINE_OVERLAP = 0.6
BASELINE_SHARED = 3
BASELINE_MIN_WORDS = 5
BASELINE_WINDOW = timedelta(hours=120)
BASELINE_CAP = 10


def _significant(title):
    return {normalise(word) for word in re.findall(r"[^\W_]+", title.lower())} - STOP_WORDS


def baseline(rows):
    """The baseline's cluster number for each row (rows in time order)."""
    clusters = []  # [first item's time, its exact title, its words, feeds, size]
    labels = []
    for row in rows:
        exact = " ".join(re.findall(r"[^\W_]+", row.title.lower()))
        words = _significant(row.title)
        chosen = None
        for number, (started, title, cluster_words, feeds, size) in enumerate(clusters):
            if size >= BASELINE_CAP or row.publisher in feeds or row.published_at - started > BASELINE_WINDOW:
                continue
            if exact and exact == title:
                chosen = number
                break
            if len(row.title.split()) < BASELINE_MIN_WORDS or not words or not cluster_words:
                continue
            shared = len(words & cluster_words)
            if shared >= BASELINE_SHARED and shared / min(len(words), len(cluster_words)) >= BASELINE_OVERLAP:
                chosen = number
                break
        if chosen is None:
            clusters.append([row.published_at, exact, words, {row.publisher}, 1])
            chosen = len(clusters) - 1
        else:
            clusters[chosen][3].add(row.publisher)
            clusters[chosen][4] += 1
        labels.append(chosen)
    return labels


def group_in_batches(rows, *, batch=100, window_hours=72):
    """The project's grouping over `rows` (in time order) as an ingest meets them, `batch` at a time: each article
    is assigned on arrival, and the stories a batch changed are merged at its end. A story number for each row."""
    index = Index(window_hours=window_hours)
    for start in range(0, len(rows), batch):
        for number, row in enumerate(rows[start : start + batch], start):
            index.assign(terms_of(row.title), row.published_at, number)
        index.merge_changed()
    labels = [0] * len(rows)
    for story_number, story in enumerate(index.stories):
        for number in story.members:
            labels[number] = story_number
    return labels
