"""
Recorded answers of the real upstreams, one per endpoint, written from their public documentation.

The normaliser tests normalise every item of them, and the sandbox upstream lays out every answer
it generates as they are laid out (the same keys, in the same order, nested the same way), so
that the client and its stand-in cannot drift away from the real APIs together: a change of
shape upstream is made here, once, and both readers follow.

- `newsapi-top-headlines.json`: `GET /v2/top-headlines?category=technology&pageSize=5`, from
  https://newsapi.org/docs/endpoints/top-headlines ("Response object"): a publisher without an
  id, an item without author, description, image or content, a "[Removed]" placeholder, a
  Guardian story with tracking parameters, entities and HTML in titles and descriptions.
- `newsapi-error.json`: an error answer, from https://newsapi.org/docs/errors.
- `guardian-search.json`: `GET /search?section=film|music|books|stage|games&order-by=newest
  &page-size=5&show-fields=trailText,byline,thumbnail`, from
  https://open-platform.theguardian.com/documentation/search: results without a byline, a
  thumbnail or either, trail texts with HTML and entities (named, decimal, hexadecimal).
- `guardian-error.json`: a paging error of the same endpoint (HTTP 400).
"""

import json
from pathlib import Path

SAMPLES = Path(__file__).resolve().parent


def load_sample(name):
    """The recorded answer `name` (its file name without `.json`), freshly parsed: callers may change it."""
    return json.loads((SAMPLES / f"{name}.json").read_text(encoding="utf-8"))
