"""Real-looking coverage for the front page's tests and screenshot: several publishers telling one event."""

from datetime import timedelta

EVENTS = [
    (
        "business",
        [
            ("Chiquita to buy Fyffes, creating the world's biggest banana supplier", "Reuters"),
            ("Chiquita and Fyffes agree merger to form banana giant", "BBC News"),
            ("Banana merger: Chiquita and Fyffes deal creates $1bn fruit company", "The Guardian"),
            ("Chiquita, Fyffes to combine in all-stock banana deal", "Bloomberg"),
            ("Fyffes shareholders to own 49.3% of merged Chiquita group", "Irish Times"),
        ],
    ),
    (
        "technology",
        [
            ("Bitcoin exchange Mt. Gox files for bankruptcy protection in the US", "Reuters"),
            ("Mt. Gox seeks US bankruptcy shield as bitcoin losses mount", "Financial Times"),
            ("Mt. Gox files for US bankruptcy to halt class action over lost bitcoins", "The Verge"),
        ],
    ),
    (
        "sports",
        [
            ("Bayern Munich clinch Bundesliga title with record seven games left", "ESPN"),
            ("Bayern Munich seal Bundesliga title in record time", "BBC Sport"),
        ],
    ),
    ("science", [("Curiosity rover finds ancient lake bed that could have supported life on Mars", "NASA")]),
    ("health", [("WHO warns antibiotic resistance is now a threat in every region of the world", "The Guardian")]),
]


def coverage(now, article):
    """The events as articles, made by `article(title, publisher, number=, category=, published_at=)`."""
    made, number = [], 0
    for rank, (category, headlines) in enumerate(EVENTS):
        for minutes, (title, publisher) in enumerate(headlines):
            number += 1
            published = now - timedelta(hours=rank + 1) + timedelta(minutes=10 * minutes)
            made.append(article(title, publisher, number=number, category=category, published_at=published))
    return made
