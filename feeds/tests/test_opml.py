from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from feeds.models import Feed

OPML = b"""<?xml version="1.0" encoding="utf-8"?>
<opml version="2.0"><head><title>Reader</title></head><body>
  <outline text="Technology">
    <outline type="rss" text="Tech One" xmlUrl="https://one.example.com/feed.xml" htmlUrl="https://one.example.com/"/>
    <outline text="Deeper"><outline type="rss" text="Tech Two" xmlUrl="https://two.example.com/atom"/></outline>
  </outline>
  <outline type="rss" title="Tagged" xmlUrl="https://three.example.com/rss" category="/Science/Space"/>
  <outline type="rss" text="Loose" xmlUrl="https://four.example.com/feed.json"/>
  <outline type="rss" text="Local file" xmlUrl="file:///etc/passwd"/>
</body></opml>"""


def import_opml(tmp_path, data, *args):
    path = tmp_path / "feeds.opml"
    path.write_bytes(data)
    stdout = StringIO()
    call_command("import_opml", str(path), *args, stdout=stdout)
    return stdout.getvalue().strip()


def test_it_imports_the_feeds_with_their_categories_from_the_outlines(tmp_path, db):
    Feed.objects.create(url="https://four.example.com/feed.json", title="Already here", category="health")

    said = import_opml(tmp_path, OPML, "--category", "business")

    assert said == "Imported 3 feeds (1 already subscribed, 1 refused (not an http or https URL))."
    feeds = {feed.title: (feed.url, feed.category, feed.site_url) for feed in Feed.objects.all()}
    assert feeds == {
        "Tech One": ("https://one.example.com/feed.xml", "technology", "https://one.example.com/"),
        "Tech Two": ("https://two.example.com/atom", "technology", ""),
        "Tagged": ("https://three.example.com/rss", "science", ""),
        "Already here": ("https://four.example.com/feed.json", "health", ""),
    }


def test_what_it_exports_it_imports_again(tmp_path, db):
    import_opml(tmp_path, OPML)
    stdout = StringIO()
    call_command("export_opml", stdout=stdout)
    before = set(Feed.objects.values_list("url", "title", "category", "site_url"))
    Feed.objects.all().delete()

    said = import_opml(tmp_path, stdout.getvalue().encode())

    assert said == "Imported 4 feeds (0 already subscribed)."
    assert set(Feed.objects.values_list("url", "title", "category", "site_url")) == before
    assert stdout.getvalue().startswith("<?xml version='1.0' encoding='utf-8'?>\n<opml version=\"2.0\">")


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b'<!DOCTYPE opml [<!ENTITY a "aaaa">]><opml version="2.0"><body/></opml>', "declares XML entities"),
        (b"<html><body>no</body></html>", "is not OPML"),
        (b"<opml><body><outline", "not well-formed XML"),
        (b"<opml><body>" + b" " * 5 * 2**20 + b"</body></opml>", "larger than 5 MB"),
    ],
)
def test_it_refuses_what_is_not_opml_in_one_sentence(tmp_path, db, data, reason):
    with pytest.raises(CommandError, match=reason):
        import_opml(tmp_path, data)

    assert not Feed.objects.exists()
