"""
Publishers' feeds, for the feed crawler (the feeds app): `GET /feeds/<n>.rss`, `.atom` and `.json` (JSON Feed
1.1), each with `SandboxConfig.feed_entries` entries, the same every time for the same `revision`; an ETag and
a Last-Modified honoured (304); `/feeds/site/<n>` is the publisher's home page, naming its feed in a
`<link rel="alternate">`; `/feeds/fault/<kind>` answers one of FAULTS. `/feeds/news/<n>.rss` (and `.atom`, `.json`)
is a publisher reporting the newest stories of its category's timeline, the events the upstreams' imitations
report too, dated by the sandbox clock: `/feeds/demo.opml` lists a handful of those, for `make run`'s demo.
"""

import functools
import hashlib
import json
import re
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from html import escape

from .events import story_title
from .stories import published_at

SOURCE = "feeds"
PREFIX = "/feeds/"
FAULTS = ("bozo", "html", "moved", "gone", "slow", "huge", "laughs", "dates", "429", "503")
CATEGORIES = ("technology", "science", "business", "sports", "health", "entertainment", "general")
EPOCH = datetime(2026, 11, 20, tzinfo=UTC)
TYPES = {"rss": "application/rss+xml", "atom": "application/atom+xml", "json": "application/feed+json"}
_FEED = re.compile(r"^/feeds/(\d+)\.(rss|atom|json)$")
_SITE = re.compile(r"^/feeds/site/(\d+)$")
_NEWS = re.compile(r"^/feeds/news/(\d+)\.(rss|atom|json)$")
NEWS_ENTRIES = 20
NEWS_PUBLISHERS = ("The Morning Ledger", "Harbour Gazette", "The Northern Courier", "Capital Wire", "Valley Herald")
LAUGHS = (
    '<?xml version="1.0"?>\n<!DOCTYPE rss [\n <!ENTITY lol "lol">\n'
    + "".join(f' <!ENTITY lol{n} "{f"&lol{n - 1};" * 10 if n > 1 else "&lol;" * 10}">\n' for n in range(1, 10))
    + ']>\n<rss version="2.0"><channel><title>&lol9;</title><link>https://laughs.example.com/</link>'
    "<item><title>Laughing &lol9;</title><link>https://laughs.example.com/1</link></item></channel></rss>"
)


def answer(sandbox, path, headers, base_url):
    """(status, body, content type, headers) for `path`."""
    config = sandbox.config
    if match := _FEED.match(path):
        number, kind = int(match.group(1)), match.group(2)
        items = list(entries(number, config.feed_entries, config.revision))
        return conditional(render(kind, number, items, base_url), headers)
    if match := _NEWS.match(path):
        number, kind = int(match.group(1)), match.group(2)
        items = list(news_entries(sandbox, number))
        rendered = render(kind, number, items, base_url, title=news_publisher(number))
        return conditional(rendered, headers, last_modified=items[0]["published"])
    if path == f"{PREFIX}demo.opml":
        return 200, demo_opml(base_url), "text/x-opml; charset=utf-8", {}
    if match := _SITE.match(path):
        number = int(match.group(1))
        page = (
            f"<!doctype html><html><head><title>Publisher {number}</title>"
            f'<link rel="alternate" type="application/rss+xml" title="Publisher {number}" href="/feeds/{number}.rss">'
            f"</head><body><h1>Publisher {number}</h1></body></html>"
        )
        return 200, page.encode(), "text/html; charset=utf-8", {}
    if path.startswith(f"{PREFIX}fault/") and (kind := path.rsplit("/", 1)[1]) in FAULTS:
        return fault(kind, config, base_url)
    return 404, b"<html><body>Not found</body></html>", "text/html", {}


def conditional(rendered, request_headers, last_modified=EPOCH):
    body, content_type = rendered
    etag = '"' + hashlib.sha256(body).hexdigest()[:20] + '"'
    last_modified = format_datetime(last_modified, usegmt=True)
    validators = {"ETag": etag, "Last-Modified": last_modified}
    if request_headers.get("If-None-Match") == etag or (
        "If-None-Match" not in request_headers and request_headers.get("If-Modified-Since") == last_modified
    ):
        return 304, b"", content_type, validators
    return 200, body, content_type, validators


def entries(number, count, revision):
    revised = f" (revised {revision})" if revision else ""
    for index in range(count):
        yield {
            "url": f"https://publisher{number}.example.com/{index}",
            "title": f"Story {index} of publisher {number}{revised}",
            "summary": f"<p>What happened in <b>story {index}</b> &amp; why it matters.</p>",
            "published": EPOCH - timedelta(minutes=10 * index + number % 10),
        }


def news_publisher(number):
    return f"{NEWS_PUBLISHERS[number % len(NEWS_PUBLISHERS)]} {number}"


def news_entries(sandbox, number):
    """Publisher `number`'s newest NEWS_ENTRIES stories: those of its category on the sandbox's timeline, in the
    headlines NewsAPI's imitation gives them, so that they join the upstreams' stories."""
    category, config = CATEGORIES[number % len(CATEGORIES)], sandbox.config
    newest = sandbox.newest_index()
    for index in range(newest, newest - NEWS_ENTRIES, -1):
        title = story_title("newsapi", category, index, config.revision)
        yield {
            "url": f"https://publisher{number}.example.com/{category}/{index}",
            "title": title,
            "summary": f"<p>{escape(title)}: what <b>{news_publisher(number)}</b> has learned.</p>",
            "published": published_at(index, config.spacing),
        }


def render(kind, number, items, base_url, *, title=None):
    """Feed `number` as `kind`, with the entries `items` (dicts, as `entries` makes them), under its `title`."""
    title, site = title or f"Publisher {number}", f"https://publisher{number}.example.com/"
    updated = items[0]["published"] if items else EPOCH
    if kind == "json":
        document = {
            "version": "https://jsonfeed.org/version/1.1",
            "title": title,
            "home_page_url": site,
            "feed_url": f"{base_url}/feeds/{number}.json",
            "items": [
                {
                    "id": item["url"],
                    "url": item["url"],
                    "title": item["title"],
                    "content_html": item["summary"],
                    "authors": [{"name": f"Writer {number}"}],
                    "date_published": item["published"].isoformat(),
                }
                for item in items
            ],
        }
        return json.dumps(document).encode(), TYPES["json"]
    if kind == "atom":
        body = "".join(
            f'<entry><title>{escape(item["title"])}</title><link href="{item["url"]}"/><id>{item["url"]}</id>'
            f'<summary type="html">{escape(item["summary"])}</summary><author><name>Writer {number}</name></author>'
            f"<updated>{item['published'].isoformat()}</updated></entry>"
            for item in items
        )
        document = (
            f'<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
            f'<title>{title}</title><link href="{site}"/><id>{site}</id><updated>{updated.isoformat()}</updated>'
            f"{body}</feed>"
        )
        return document.encode(), TYPES["atom"]
    body = "".join(
        f"<item><title>{escape(item['title'])}</title><link>{item['url']}</link><guid>{item['url']}</guid>"
        f"<description>{escape(item['summary'])}</description>"
        f"<pubDate>{format_datetime(item['published'])}</pubDate></item>"
        for item in items
    )
    document = (
        f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>{title}</title>'
        f"<link>{site}</link><description>{title}'s news</description>{body}</channel></rss>"
    )
    return document.encode(), TYPES["rss"]


def fault(kind, config, base_url):
    if kind == "moved":
        return 301, b"", "text/plain", {"Location": f"{base_url}/feeds/1.rss"}
    if kind == "gone":
        return 410, b"Gone", "text/plain", {}
    if kind in {"429", "503"}:
        return int(kind), b"Slow down", "text/plain", {"Retry-After": "3600"}
    if kind == "html":
        return 200, b"<!doctype html><html><head><title>Home</title></head><body>No feed</body></html>", "text/html", {}
    if kind == "laughs":
        return 200, LAUGHS.encode(), TYPES["rss"], {}
    if kind == "huge":
        return 200, huge(config.huge_entries), TYPES["rss"], {}
    if kind == "dates":  # the first entry has no date, the second one a century ahead, the third a good one
        future, good = datetime(2126, 1, 1, tzinfo=UTC), EPOCH
        items = "".join(
            f"<item><title>Dated {n}</title><link>https://dates.example.com/{n}</link>{date}</item>"
            for n, date in enumerate(
                ["", f"<pubDate>{format_datetime(future)}</pubDate>", f"<pubDate>{format_datetime(good)}</pubDate>"]
            )
        )
        body = f'<rss version="2.0"><channel><title>Dates</title><link>https://dates.example.com/</link>{items}</channel></rss>'
        return 200, body.encode(), TYPES["rss"], {}
    if kind == "slow":
        return 200, render("rss", 9997, list(entries(9997, 2, 0)), base_url)[0], TYPES["rss"], {"X-Sandbox-Slow": "1"}
    # bozo: cut short, with a stray ampersand; feedparser flags it and still reads the entries before the cut
    body = render("rss", 9996, list(entries(9996, 5, 0)), base_url)[0].replace(
        b"<title>Publisher", b"<title>Publisher & Sons,", 1
    )
    return 200, body[: body.rfind(b"<item>")], TYPES["rss"], {}


@functools.lru_cache(maxsize=2)
def huge(count):
    """An RSS feed of `count` copies of one item: made at once, however large."""
    head, tail = render("rss", 9999, [], "")[0].split(b"</description>")
    item = b"<item><title>Huge</title><link>https://huge.example.com/</link><description>" + b"x" * 200
    return head + b"</description>" + (item + b"</description></item>") * count + tail


def demo_opml(base_url, count=6):
    """A handful of this sandbox's feeds as OPML, one folder per category: for `make run`'s demo to import."""
    folders = {}
    for number in range(1, count + 1):
        category, kind = CATEGORIES[number % len(CATEGORIES)], ("rss", "atom", "json")[number % 3]
        folders.setdefault(category, []).append(
            f'    <outline type="rss" text="{news_publisher(number)}" xmlUrl="{base_url}/feeds/news/{number}.{kind}" '
            f'htmlUrl="https://publisher{number}.example.com/"/>'
        )
    body = "".join(
        f'  <outline text="{category}">\n' + "\n".join(lines) + "\n  </outline>\n"
        for category, lines in folders.items()
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n<opml version="2.0"><head><title>Sandbox feeds</title></head>'
        f"<body>\n{body}</body></opml>\n"
    ).encode()
