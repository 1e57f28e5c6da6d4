"""
The normalised article, and a page of them made from an upstream's items.

A normaliser turns one upstream item into an `ArticleIn`, or raises `ItemSkipped` saying in a few words why no
article can be made of it. `Page.from_items` counts the items skipped and logs their reasons, one line a page.
"""

import logging
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import datetime

from .cleaning import ITEM_ERRORS, TEXT_LIMITS, shortened

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class ArticleIn:
    """An article as both upstreams (and the feeds) are normalised to, ready to store."""

    url: str
    source: str
    source_name: str
    external_id: str
    title: str
    description: str
    author: str
    image_url: str
    category: str
    published_at: datetime
    feed_id: int | None = None  # the feed's (feeds/) whose entry it is; None for the upstreams'


class ItemSkipped(Exception):
    """An upstream item no article can be made of; the message says why, in a few words ("without a usable URL")."""


def require(*fields):
    """Raise ItemSkipped naming the first of `fields`, (name, value) pairs, whose value is empty."""
    for name, value in fields:
        if not value:
            raise ItemSkipped(f"without a usable {name}")


@dataclass
class Page:
    """One page of one category's results: the articles kept and how many items were not, and how many items
    the category will yield in all (`expected`), where the upstream says (an upper bound: a run may stop sooner)."""

    category: str
    number: int
    articles: list[ArticleIn] = field(default_factory=list)
    skipped: int = 0
    expected: int | None = None

    @property
    def fetched(self):
        return len(self.articles) + self.skipped

    @classmethod
    def from_items(cls, *, source, category, number, items: Iterable, normalise: Callable, expected=None):
        page = cls(category=category, number=number, expected=expected)
        reasons = Counter()
        for item in items:
            try:
                if not isinstance(item, dict):
                    raise ItemSkipped("not an object")
                page.articles.append(bounded(normalise(item, category=category)))
            except ItemSkipped as exc:
                reasons[str(exc)] += 1
            except ITEM_ERRORS as exc:
                reasons[f"unreadable ({type(exc).__name__})"] += 1
        page.skipped = sum(reasons.values())
        if reasons:
            said = ", ".join(f"{count} {reason}" for reason, count in reasons.most_common())
            items_skipped = f"{page.skipped} item{'s' if page.skipped > 1 else ''} skipped"
            logger.info("%s page %s of %s: %s (%s)", source, number, category, items_skipped, said)
        return page


def bounded(article):
    """`article` with every text field within TEXT_LIMITS, shortened on a word boundary where it was not."""
    long = {
        name: shortened(getattr(article, name), limit)
        for name, limit in TEXT_LIMITS.items()
        if len(getattr(article, name)) > limit
    }
    return replace(article, **long) if long else article
