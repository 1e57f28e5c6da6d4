"""
A feed's state after a fetch: when it is due again, its validators, its errors; disabling it.

A feed that answers is due again FEEDS_INTERVAL after its run started (not after its own fetch, later in the
run: a scheduler that starts a run every FEEDS_INTERVAL then finds it due). One that fails waits FEEDS_INTERVAL
* 2^errors from there, at most MAX_BACKOFF, and at least what a 429 or 503 asked for in Retry-After (up to
MAX_BACKOFF too). A 410 Gone disables it at once; failing for FEEDS_DISABLE_AFTER_DAYS without one success
disables it, with the reason.
"""

from datetime import timedelta

from django.conf import settings

MAX_BACKOFF = timedelta(hours=24)


def record_success(feed, fetched, parsed, *, now, run_started_at):
    """`fetched` answered 200 (with `parsed`, its entries) or 304 (`parsed` None)."""
    feed.last_status = fetched.status
    feed.last_fetched_at = now
    feed.next_fetch_at = run_started_at + timedelta(seconds=settings.FEEDS_INTERVAL)
    feed.consecutive_errors = 0
    feed.failing_since = None
    feed.last_error = ""
    if fetched.status == 200:
        feed.etag, feed.last_modified = fetched.etag, fetched.last_modified
    if parsed is not None:
        feed.format = parsed.format
        feed.title = feed.title or parsed.title[:200] or fetched.url[:200]
        feed.site_url = feed.site_url or parsed.site_url


def record_failure(feed, error, *, now, run_started_at):
    """The fetch failed with FetchError or NotAFeed `error`; return whether the feed was disabled."""
    feed.last_status = getattr(error, "status", 200)  # NotAFeed: the body came, with a 200
    feed.last_fetched_at = now
    feed.consecutive_errors += 1
    feed.failing_since = feed.failing_since or now
    reason = str(error).rstrip(".")
    if getattr(error, "status", None) == 410:
        feed.enabled = False
        feed.last_error = f"Disabled: the feed is gone (HTTP 410) at {now:%Y-%m-%d %H:%M} UTC."
        return True
    if now - feed.failing_since >= timedelta(days=settings.FEEDS_DISABLE_AFTER_DAYS):
        feed.enabled = False
        feed.last_error = (
            f"Disabled: failing since {feed.failing_since:%Y-%m-%d %H:%M} UTC "
            f"(FEEDS_DISABLE_AFTER_DAYS: {settings.FEEDS_DISABLE_AFTER_DAYS}); last: {reason}."
        )[:500]
        return True
    feed.last_error = f"{reason}."[:500]
    feed.next_fetch_at = run_started_at + backoff(feed.consecutive_errors, getattr(error, "retry_after", None))
    return False


def backoff(errors, retry_after=None):
    delay = timedelta(seconds=settings.FEEDS_INTERVAL * 2 ** min(errors, 20))
    if retry_after is not None:
        delay = max(delay, timedelta(seconds=retry_after))
    return min(delay, MAX_BACKOFF)


def moved(feed, new_url, taken):
    """Follow a permanent redirect to `new_url`, unless another feed already has that URL (`taken`)."""
    if new_url and new_url != feed.url and not taken:
        feed.url = new_url[:2000]
