"""Finding a feed from a web page: the `<link rel="alternate">` elements of its head that name a feed."""

from html.parser import HTMLParser
from urllib.parse import urljoin

# In order of preference, when a page names several.
FEED_TYPES = ("application/atom+xml", "application/rss+xml", "application/feed+json", "application/json")


def looks_like_html(body, content_type=""):
    start = body[:512].lstrip().lower()
    return "html" in content_type.lower() or start.startswith((b"<!doctype html", b"<html"))


def discover(body, *, base_url):
    """The feed URLs that the HTML page `body` names, best first (absolute)."""
    parser = _AlternateLinks()
    parser.feed(body[:1_000_000].decode("utf-8", errors="replace"))
    parser.close()
    links = sorted(parser.links, key=lambda link: FEED_TYPES.index(link[0]))
    return list(dict.fromkeys(urljoin(base_url, href) for _, href in links))


class _AlternateLinks(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.links = []

    def handle_starttag(self, tag, attrs):
        if tag != "link":
            return
        attributes = {name: (value or "") for name, value in attrs}
        rel = attributes.get("rel", "").lower().split()
        kind = attributes.get("type", "").lower().split(";")[0].strip()
        href = attributes.get("href", "").strip()
        if "alternate" in rel and kind in FEED_TYPES and href:
            self.links.append((kind, href))
