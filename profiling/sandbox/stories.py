"""
What the imitations of the upstreams share: the words and the clock of their stories (their headlines come
from events.py), the layout of every answer, the odd items of the `garbage`, `surrogate` and `oversized` faults,
and the reading of a number in a query.

Stories are generated, not stored: each feed (a NewsAPI category, a Guardian section) is a
timeline with one story every `spacing` seconds, the newest at the sandbox clock. A story is a
pure function of its feed and its place on the timeline, so the same clock gives the same
answers, and as the clock moves new stories appear on top as they do upstream.

Every answer is laid out by a recorded one (articles/upstreams/samples/): its keys, in its order,
nested as it nests them. A key the recording gains comes through in every answer with the
recorded value; a key it loses or renames stops the sandbox with the key's name, since the real
API no longer sends it: the sandbox cannot drift from the recordings the normaliser is tested on.
"""

import random
from datetime import UTC, datetime

from newsproject.text import whole_number

WORDS = [
    "market",
    "council",
    "river",
    "vaccine",
    "league",
    "orbit",
    "budget",
    "festival",
    "startup",
    "climate",
    "court",
    "election",
    "museum",
    "harbour",
    "pitch",
    "satellite",
    "tariff",
    "album",
    "novel",
    "clinic",
    "rally",
    "storm",
    "grid",
    "chip",
    "merger",
    "derby",
    "galaxy",
    "ballot",
    "opera",
    "trial",
]
LEFT_OUT = object()  # a field the story has no value for, whose key the real API leaves out (NewsAPI sends null)


def words(*seed):
    """Five different words, always the same for the same seed (the source, the feed, the place on its timeline)."""
    # Seeded random makes the stories reproducible; nothing here is secret.
    return random.Random(":".join(map(str, seed))).sample(WORDS, 5)


def published_at(index, spacing):
    return datetime.fromtimestamp(index * spacing, UTC).replace(microsecond=0)


def zulu(moment):
    """An aware UTC time as both upstreams write it: 2026-11-23T09:30:00Z."""
    return moment.isoformat().replace("+00:00", "Z")


def merged(items):
    """One item with every key that any of `items` has, in the order keys first appear, with the first value seen."""
    layout = {}
    for item in items:
        for key, value in item.items():
            if key not in layout:
                layout[key] = value
            elif isinstance(layout[key], dict) and isinstance(value, dict):
                layout[key] = merged([layout[key], value])
    return layout


def laid_out(layout, values):
    """`values` laid out as the recorded `layout`: its keys, in its order, its objects nested alike.

    A key of the layout that `values` does not give keeps the recorded value; one given as LEFT_OUT
    is left out; one that the layout does not have is an error.
    """
    unknown = values.keys() - layout.keys()
    if unknown:
        raise ValueError(f"the sandbox makes {', '.join(sorted(unknown))}, which the recorded sample does not have")
    answer = {}
    for key, recorded in layout.items():
        value = values.get(key, recorded)
        if isinstance(value, dict) and isinstance(recorded, dict):
            value = laid_out(recorded, value)
        if value is not LEFT_OUT:
            answer[key] = value
    return answer


def query_number(value, default):
    """A whole-number query parameter: `default` when absent, -1 (which every caller refuses) when not a number."""
    if value is None:
        return default
    try:
        return whole_number(value)
    except ValueError:
        return -1


def garbage_items(good, *, title, url, published):
    """Items no real answer should hold, but might: three that can be stored once cleaned, four that cannot.

    `good` is a good item to vary; `title`, `url` and `published` name its fields that hold those.
    """
    address = good.get(url, "https://example.com/a")
    return [
        {**good, url: address + "-nul", title: "A title with a NUL\x00 in it"},  # stored, NUL dropped
        {**good, url: "https://例え.jp/記事/" + "ニュース" * 30, "sectionId": ["not", "a", "string"]},  # stored
        {**good, url: address + "-year-one", published: "0001-01-01T00:00:00+01:00"},  # skipped
        {**good, url: "http://[::1/broken-ipv6"},  # skipped
        {**good, url: "https://example.com/" + "ü" * 1000},  # too long once percent-encoded: skipped
        "not an object",  # skipped
        None,  # skipped
    ]


def surrogate_items(good, *, title, url, published):
    """An item whose title ends in a lone surrogate (half an emoji): valid JSON, but no valid UTF-8."""
    return [{**good, url: varied_url(good.get(url), "-surrogate"), title: "Broken \ud800"}]


def oversized_items(good, *, title, url, published, size=1_100_000):
    """An item whose title is more than 1 MB of different words: more than PostgreSQL's full-text index takes."""
    text, number = "", 0
    while len(text) < size:
        text += " ".join(f"{word}{number}" for word in WORDS) + " "
        number += 1
    return [{**good, url: varied_url(good.get(url), "-oversized"), title: text.strip()}]


def varied_url(address, suffix):
    """Another story's address: `suffix` added to the path, never to a query the cleaning may drop."""
    path, mark, query = (address or "https://example.com/a").partition("?")
    return path + suffix + mark + query
