"""
JSON Feed 1.0 and 1.1 (https://www.jsonfeed.org/version/1.1/), read into the shape feedparser gives RSS and
Atom in parsing.py. feedparser's 6.0 line does not read JSON Feed, and the format is small enough for this.

`parse(document)` takes the decoded JSON and returns (title, site_url, items), each item a dict of the
entry fields parsing.py reads; it raises ValueError when the document is not a JSON Feed.
"""

from articles.upstreams.cleaning import parse_timestamp

VERSIONS = ("https://jsonfeed.org/version/1", "https://jsonfeed.org/version/1.1")


def parse(document):
    if not isinstance(document, dict) or not str(document.get("version", "")).startswith(VERSIONS[0]):
        raise ValueError("not a JSON Feed: no https://jsonfeed.org/version/ in its version")
    items = document.get("items")
    if not isinstance(items, list):
        raise ValueError("not a JSON Feed: its items are not a list")
    return _text(document.get("title")), _text(document.get("home_page_url")), [_item(i) for i in items]


def _item(item):
    if not isinstance(item, dict):
        return {}
    return {
        "id": _text(item.get("id")),
        "link": _text(item.get("url")) or _text(item.get("external_url")),
        "title": _text(item.get("title")),
        "summary": _text(item.get("summary")) or _text(item.get("content_html")) or _text(item.get("content_text")),
        "author": _author(item) or "",
        "image": _text(item.get("image")) or _text(item.get("banner_image")),
        "published": parse_timestamp(item.get("date_published")) or parse_timestamp(item.get("date_modified")),
    }


def _author(item):
    """1.1's `authors` list, or 1.0's single `author` (deprecated in 1.1 but still sent)."""
    authors = item.get("authors")
    if not isinstance(authors, list):
        authors = [item.get("author")]
    names = [_text(a.get("name")) for a in authors if isinstance(a, dict)]
    return ", ".join(name for name in names if name)


def _text(value):
    return value if isinstance(value, str) else ""
