"""
OPML 2.0 (http://opml.org/spec2.opml): subscriptions in and out, as feed readers exchange them.

`feeds_import()` reads every outline with an `xmlUrl`; its category is the first known category among its own
`category` attribute and the text of the outlines it sits in (a reader's folders), else the default. Feeds
already subscribed are left as they are; none is fetched (the next fetch_articles checks them).
`feeds_export()` writes the feeds grouped in one outline per category, which import reads back.
"""

import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from email.utils import format_datetime

from django.utils import timezone

from articles.models import Category
from articles.upstreams.cleaning import canonical_url, plain_text

from ..models import Feed

MAX_OPML_BYTES = 5 * 2**20


class BadOpml(Exception):
    """The file is not OPML that can be read; one sentence."""


@dataclass
class Imported:
    created: list = field(default_factory=list)
    existing: int = 0
    refused: list = field(default_factory=list)  # the xmlUrl values that are no http(s) URL

    def sentence(self):
        refused = f", {len(self.refused)} refused (not an http or https URL)" if self.refused else ""
        return f"Imported {len(self.created)} feeds ({self.existing} already subscribed{refused})."


def feeds_import(data, *, default_category=Category.GENERAL):
    if len(data) > MAX_OPML_BYTES:
        raise BadOpml(f"The file is larger than {MAX_OPML_BYTES // 2**20} MB: refused.")
    if b"<!ENTITY" in data[:100_000].upper():
        raise BadOpml("The file declares XML entities: refused (an OPML file needs none).")
    try:
        root = ET.fromstring(data)  # noqa: S314 (entity declarations refused above)
    except ET.ParseError as exc:
        raise BadOpml(f"The file is not well-formed XML ({exc}).") from None
    body = root.find("body")
    if root.tag != "opml" or body is None:
        raise BadOpml("The file is not OPML: no <opml> with a <body>.")
    result, seen = Imported(), set()
    for outline, folders in _outlines(body, []):
        raw = outline.get("xmlUrl", "")
        url = canonical_url(raw)
        if not url:
            result.refused.append(raw)
            continue
        if url in seen or Feed.objects.filter(url=url).exists():
            result.existing += 1
            continue
        seen.add(url)
        result.created.append(
            Feed(
                url=url,
                title=plain_text(outline.get("title") or outline.get("text"))[:200] or url[:200],
                site_url=canonical_url(outline.get("htmlUrl")) or "",
                category=_category([outline.get("category", ""), *reversed(folders)]) or default_category,
            )
        )
    Feed.objects.bulk_create(result.created)
    return result


def feeds_export(feeds=None):
    """The feeds (default: all) as an OPML 2.0 document, in bytes."""
    root = ET.Element("opml", version="2.0")
    head = ET.SubElement(root, "head")
    ET.SubElement(head, "title").text = "News aggregator feeds"
    ET.SubElement(head, "dateCreated").text = format_datetime(timezone.now(), usegmt=True)
    body = ET.SubElement(root, "body")
    folders = {}
    for feed in feeds if feeds is not None else Feed.objects.order_by("category", "title", "id"):
        if feed.category not in folders:
            folders[feed.category] = ET.SubElement(body, "outline", text=feed.category, title=feed.category)
        attributes = {"type": "rss", "text": feed.title, "title": feed.title, "xmlUrl": feed.url}
        if feed.site_url:
            attributes["htmlUrl"] = feed.site_url
        ET.SubElement(folders[feed.category], "outline", attributes, category=f"/{feed.category}")
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"


def _outlines(element, folders):
    """(outline with an xmlUrl, the texts of the outlines around it), depth first."""
    for outline in element.findall("outline"):
        if outline.get("xmlUrl"):
            yield outline, folders
        yield from _outlines(outline, [*folders, outline.get("text") or outline.get("title") or ""])


def _category(candidates):
    for candidate in candidates:
        for word in candidate.replace(",", "/").split("/"):
            if word.strip().lower() in Category.values:
                return word.strip().lower()
    return None
