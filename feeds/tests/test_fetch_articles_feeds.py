from io import StringIO

from django.core.management import call_command

from articles.models import Article, IngestRun


def fetch(*args):
    stdout, stderr = StringIO(), StringIO()
    call_command("fetch_articles", *args, stdout=stdout, stderr=stderr)
    return stdout.getvalue(), stderr.getvalue()


def test_source_feeds_fetches_the_feeds_alone_with_their_row(make_feed):
    make_feed("/feeds/31.rss")
    make_feed("/feeds/fault/html")

    stdout, _ = fetch("--source", "feeds")

    rows = stdout.splitlines()
    assert rows[0].split()[:8] == [
        "source",
        "status",
        "requests",
        "fetched",
        "created",
        "updated",
        "unchanged",
        "skipped",
    ]
    assert rows[1].split()[:8] == ["feeds", "ok", "2", "5", "5", "0", "0", "0"]
    assert rows[2] == "feeds: 2 feeds due: 1 fetched, 0 not modified, 1 failed."
    assert set(IngestRun.objects.values_list("source", flat=True)) == {"feeds"}


def test_every_source_means_the_feeds_too(make_feed):
    make_feed("/feeds/32.json")

    stdout, _ = fetch("--category", "science")

    assert {"newsapi", "guardian", "feeds"} == set(IngestRun.objects.values_list("source", flat=True))
    assert Article.objects.filter(source="feeds").count() == 5
    assert "feeds: 1 feeds due: 1 fetched" in stdout


def test_feeds_alone_need_no_upstream_key(make_feed, settings):
    settings.NEWSAPI_KEY = settings.GUARDIAN_API_KEY = ""
    make_feed("/feeds/33.rss")

    _, stderr = fetch()

    assert "No upstream API key is set" in stderr
    assert Article.objects.filter(source="feeds").count() == 5
