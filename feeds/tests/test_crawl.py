from datetime import timedelta
from itertools import pairwise

from django.utils import timezone

from articles.models import Article, IngestRun
from feeds.models import Feed
from feeds.services.crawl import fetch_feeds


def run_started_at():
    return IngestRun.objects.latest("started_at").started_at


def test_it_stores_the_entries_of_every_format_as_articles(make_feed):
    for number, kind in enumerate(("rss", "atom", "json"), start=1):
        make_feed(f"/feeds/{number}.{kind}", title=f"The {kind}", category="science")

    result, counts = fetch_feeds()

    assert (counts.due, counts.fetched, counts.failed) == (3, 3, 0)
    assert (result.fetched, result.created, result.status) == (15, 15, "ok")
    article = Article.objects.get(url="https://publisher2.example.com/0")
    assert (article.source, article.source_name, article.category) == ("feeds", "The atom", "science")
    assert article.description == "What happened in story 0 & why it matters."
    run = IngestRun.objects.get()
    assert (run.source, run.created, run.requests_made) == ("feeds", 15, 3)
    assert run.message == "3 feeds due: 3 fetched, 0 not modified, 0 failed."


def test_a_second_run_over_unchanged_feeds_is_all_304s_and_writes_no_article(make_feed):
    feed = make_feed("/feeds/4.rss")
    fetch_feeds()
    Feed.objects.update(next_fetch_at=None)
    before = Article.objects.get(url="https://publisher4.example.com/0").last_updated_at

    result, counts = fetch_feeds()

    assert (counts.fetched, counts.not_modified, result.fetched, result.created, result.updated) == (0, 1, 0, 0, 0)
    assert Article.objects.get(url="https://publisher4.example.com/0").last_updated_at == before
    feed.refresh_from_db()
    assert (feed.last_status, feed.etag != "") == (304, True)


def test_only_due_feeds_are_fetched(make_feed):
    make_feed("/feeds/5.rss", next_fetch_at=timezone.now() + timedelta(minutes=5))
    make_feed("/feeds/6.rss", enabled=False)

    _, counts = fetch_feeds()

    assert counts.due == 0


def test_a_feed_is_due_again_feeds_interval_after_its_run_started(make_feed, settings):
    settings.FEEDS_INTERVAL = 900
    feed = make_feed("/feeds/7.rss")

    fetch_feeds()

    feed.refresh_from_db()
    assert feed.next_fetch_at == run_started_at() + timedelta(seconds=900)
    assert feed.last_fetched_at > run_started_at()


def test_a_feed_due_within_the_minute_is_fetched_now(make_feed):
    make_feed("/feeds/10.rss", next_fetch_at=timezone.now() + timedelta(seconds=30))

    _, counts = fetch_feeds()

    assert (counts.due, counts.fetched) == (1, 1)


def test_a_changed_feed_updates_its_articles(make_feed, feed_sandbox):
    make_feed("/feeds/8.json")
    fetch_feeds()
    Feed.objects.update(next_fetch_at=None)
    feed_sandbox.config.revision = 1

    result, _ = fetch_feeds()

    assert (result.created, result.updated) == (0, 5)
    assert Article.objects.filter(title__endswith="(revised 1)").count() == 5


def test_one_failing_feed_fails_neither_the_run_nor_the_others(make_feed, feed_sandbox):
    for kind in ("html", "huge", "slow", "gone"):
        make_feed(f"/feeds/fault/{kind}")
    make_feed("/feeds/9.rss")

    result, counts = fetch_feeds()

    assert result.status == "ok"
    assert (counts.fetched, counts.failed) == (1, 4)
    assert Article.objects.count() == 5
    errors = dict(Feed.objects.values_list("url", "last_error"))
    base = feed_sandbox.base_url + "/feeds/fault/"
    assert errors[base + "html"] == "an HTML page, not a feed."
    assert "FEEDS_MAX_BYTES" in errors[base + "huge"]
    assert "FEEDS_TIMEOUT" in errors[base + "slow"]
    assert errors[base + "gone"].startswith("Disabled: the feed is gone (HTTP 410)")


def test_a_failing_feed_backs_off_exponentially_up_to_a_day(make_feed, settings):
    settings.FEEDS_INTERVAL = 600
    feed = make_feed("/feeds/fault/html")

    fetch_feeds()
    feed.refresh_from_db()
    first = feed.next_fetch_at - run_started_at()
    Feed.objects.update(next_fetch_at=None, consecutive_errors=30)
    fetch_feeds()
    feed.refresh_from_db()

    assert first == timedelta(seconds=1200)
    assert feed.next_fetch_at - run_started_at() == timedelta(hours=24)
    assert (feed.consecutive_errors, feed.enabled) == (31, True)


def test_retry_after_is_honoured(make_feed, settings):
    settings.FEEDS_INTERVAL = 60
    feed = make_feed("/feeds/fault/503")

    fetch_feeds()

    feed.refresh_from_db()
    assert feed.next_fetch_at - run_started_at() == timedelta(seconds=3600)
    assert feed.last_status == 503


def test_a_feed_failing_for_long_is_disabled_with_the_reason(make_feed, settings):
    settings.FEEDS_DISABLE_AFTER_DAYS = 3
    feed = make_feed("/feeds/fault/html", failing_since=timezone.now() - timedelta(days=3, minutes=1))

    _, counts = fetch_feeds()

    feed.refresh_from_db()
    assert (feed.enabled, counts.disabled) == (False, 1)
    assert "FEEDS_DISABLE_AFTER_DAYS: 3); last: an HTML page, not a feed." in feed.last_error


def test_a_permanent_redirect_updates_the_stored_url(make_feed, feed_sandbox):
    feed = make_feed("/feeds/fault/moved")

    fetch_feeds()

    feed.refresh_from_db()
    assert feed.url == f"{feed_sandbox.base_url}/feeds/1.rss"
    assert Article.objects.filter(url="https://publisher1.example.com/0").exists()


def test_an_entry_without_a_date_or_with_one_to_come_keeps_the_time_it_was_first_seen(make_feed):
    make_feed("/feeds/fault/dates")
    started = timezone.now()

    fetch_feeds()
    first = dict(Article.objects.values_list("url", "published_at"))
    Feed.objects.update(next_fetch_at=None, etag="", last_modified="")
    result, _ = fetch_feeds()

    undated, future = first["https://dates.example.com/0"], first["https://dates.example.com/1"]
    assert started <= undated <= timezone.now()
    assert started <= future <= timezone.now()
    assert dict(Article.objects.values_list("url", "published_at")) == first
    assert result.unchanged == 3


def test_an_api_copy_of_a_story_is_kept_over_the_feed_s(make_feed, make_articles):
    make_articles(url="https://publisher11.example.com/0", source="guardian", title="The Guardian's copy")
    make_feed("/feeds/11.rss")

    result, _ = fetch_feeds()

    assert Article.objects.get(url="https://publisher11.example.com/0").title == "The Guardian's copy"
    assert (result.created, result.unchanged) == (4, 1)


def test_at_most_one_request_at_a_time_goes_to_a_host(make_feed, feed_sandbox):
    feed_sandbox.config.latency = 0.2
    for number in range(12, 16):
        make_feed(f"/feeds/{number}.rss")

    fetch_feeds()

    # One host (127.0.0.1): each request arrived after the one before had been answered, latency included.
    arrivals = [request.at for request in feed_sandbox.requests_to("feeds")]
    assert all(later - earlier >= 0.2 for earlier, later in pairwise(arrivals))


def test_each_article_knows_its_feed(make_feed):
    feed = make_feed("/feeds/41.rss")
    make_feed("/feeds/42.json")

    fetch_feeds()

    assert Article.objects.filter(feed=feed).count() == 5
    assert set(Article.objects.filter(feed=feed).values_list("source_name", flat=True)) == {feed.title}


def test_an_entry_two_feeds_carry_stays_the_first_feeds(make_feed):
    first = make_feed("/feeds/43.rss", title="First")
    fetch_feeds()
    make_feed("/feeds/43.atom", title="Second")  # the same publisher's entries, in another format

    result, _ = fetch_feeds()

    assert (result.fetched, result.created) == (5, 0)
    assert set(Article.objects.values_list("feed", "source_name")) == {(first.pk, "First")}


def test_deleting_a_feed_keeps_its_articles_under_their_publisher(make_feed):
    feed = make_feed("/feeds/44.rss", title="Forty-four")
    fetch_feeds()

    feed.delete()

    assert set(Article.objects.values_list("feed", "source", "source_name")) == {(None, "feeds", "Forty-four")}
    assert Article.objects.count() == 5


def test_a_feed_takes_over_the_articles_of_a_deleted_one(make_feed):
    gone = make_feed("/feeds/45.rss", title="Gone")
    fetch_feeds()
    gone.delete()
    heir = make_feed("/feeds/45.atom", title="Heir")

    fetch_feeds()

    assert set(Article.objects.values_list("feed", "source_name")) == {(heir.pk, "Heir")}
