"""
The sandbox's events: real-looking coverage, each event told by several publishers in their own words.

EVENT_SIZE consecutive stories of a feed report one event (who, what, where), so that the demo's front page groups
them as it would real news. An event fits its feed's category: a club's transfer bid under sports, a bank's merger
under business, as a reader expects of the tab they are on.
"""

import random

from articles.models import Category
from articles.upstreams.guardian import SECTION_CATEGORIES

EVENT_SIZE = 4
# Organisations: a made-up name of three syllables (64,000 of them) and a kind, so that an event's name is as
# rare a word as real news's names are ("Sbarro", "Gox"), and two events of one organisation within days as rare:
# with 3,375 names, the demo's 650 events shared one about 60 times, and its front page led with two events merged.
SYLLABLES = [
    "var", "ne", "lo", "quis", "tra", "mo", "del", "ka", "ri", "zan", "bel", "tor", "si", "ven", "dra",
    "fen", "gul", "ho", "jax", "lem", "nor", "pim", "qu", "rud", "sel", "tav", "ul", "wen", "xi", "yor",
    "zel", "bro", "cam", "dun", "ek", "fir", "gos", "hal", "iv", "jor",
]  # fmt: skip
# Each category's kinds of organisation, and its things that happen (with WHAT_TURNS, about 100 events a category,
# so that two events of a category rarely share more than a word).
CATEGORY_EVENTS = {
    Category.BUSINESS: (
        ["Bank", "Motors", "Retail", "Energy", "Air", "Insurance"],
        ["merger", "pay deal", "takeover bid", "price freeze", "profit forecast", "share buyback", "four-day week"],
    ),
    Category.ENTERTAINMENT: (
        ["Studios", "Records", "Theatre", "Pictures", "Opera"],
        ["concert tour", "film premiere", "album launch", "museum wing", "festival line-up", "streaming deal"],
    ),
    Category.GENERAL: (
        ["Council", "Transport", "Water", "Port Authority", "Housing"],
        ["tram line", "flood defence plan", "drought plan", "rail timetable", "housing plan", "bridge repair"],
    ),
    Category.HEALTH: (
        ["Health Trust", "Pharma", "Hospital", "Medical School", "Clinics"],
        ["vaccine trial", "cancer drug", "clinic closure", "waiting list plan", "strike ballot", "drug recall"],
    ),
    Category.SCIENCE: (
        ["Space Agency", "University", "Observatory", "Institute", "Research Centre"],
        ["lunar lander", "satellite launch", "telescope upgrade", "fusion test", "climate study", "gene study"],
    ),
    Category.SPORTS: (
        ["FC", "Rugby Club", "Cycling Team", "Athletics Club", "Hockey Club", "Rowing Club"],
        ["stadium move", "youth academy", "transfer bid", "kit deal", "ticket price rise", "coaching search"],
    ),
    Category.TECHNOLOGY: (
        ["Telecom", "Robotics", "Software", "Semiconductors", "Labs", "Networks"],
        ["chip plant", "data breach", "app launch", "5G rollout", "battery factory", "AI model"],
    ),
}
WHAT_TURNS = [
    "collapses",
    "gets the green light",
    "is delayed",
    "wins backing",
    "faces inquiry",
    "goes ahead",
    "is scrapped",
    "doubles in cost",
    "splits the board",
    "breaks records",
    "stalls",
    "sparks protest",
    "wins award",
    "is halved",
    "is approved",
]
WHERE = [
    "Leeds",
    "Cardiff",
    "Glasgow",
    "Bristol",
    "Belfast",
    "Manchester",
    "Dublin",
    "Oslo",
    "Lyon",
    "Porto",
    "Bergen",
    "Turin",
    "Ghent",
    "Leipzig",
    "Utrecht",
    "Aarhus",
    "Bilbao",
    "Kraków",
    "Nantes",
    "Tampere",
]
# Each names the event's organisation, what and where; the words between are stop words, as the words that real
# headlines share mostly are: a template's own words in every headline would make every event look alike.
HEADLINES = [
    "{who}: {what} in {where}",
    "{Where}: {who} {what}",
    "{What} at {who}, {where}",
    "In {where}, {who} {what}",
    "{who} {what} for {where}",
]


def category_of(source, feed):
    """The category of a feed: a NewsAPI category (and the sandbox's RSS feeds, named by one), a Guardian section's."""
    return SECTION_CATEGORIES.get(feed) if source == "guardian" else feed


def story_title(source, feed, index, revision):
    """The headline of story `index` of a feed: its event's, in the words of its place in the event."""
    event = random.Random(f"{source}:{feed}:event:{index // EVENT_SIZE}")
    kinds, things = CATEGORY_EVENTS.get(category_of(source, feed), CATEGORY_EVENTS[Category.GENERAL])
    who = "".join(event.choice(SYLLABLES) for _ in range(3)).capitalize() + " " + event.choice(kinds)
    what, where = f"{event.choice(things)} {event.choice(WHAT_TURNS)}", event.choice(WHERE)
    template = HEADLINES[(index + event.randrange(len(HEADLINES))) % len(HEADLINES)]
    title = template.format(who=who, what=what, where=where, Where=where, What=what[0].upper() + what[1:])
    return f"{title} (revision {revision})" if revision else title
