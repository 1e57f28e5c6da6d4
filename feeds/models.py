from django.db import models

from articles.models import Category


class Feed(models.Model):
    """One subscribed RSS, Atom or JSON Feed, and what the crawler knows of it."""

    class Format(models.TextChoices):
        RSS = "rss", "RSS"
        ATOM = "atom", "Atom"
        JSON = "json", "JSON Feed"

    url = models.URLField("feed URL", max_length=2000, unique=True)
    title = models.CharField(max_length=200, help_text="The publisher: each entry's source_name.")
    site_url = models.URLField("site", max_length=2000, blank=True)
    category = models.CharField(max_length=16, choices=Category.choices, default=Category.GENERAL)
    format = models.CharField(max_length=8, choices=Format.choices, blank=True)
    enabled = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # Conditional GET: what the server said last time, sent back as If-None-Match / If-Modified-Since.
    etag = models.CharField(max_length=500, blank=True)
    last_modified = models.CharField(max_length=100, blank=True)
    last_fetched_at = models.DateTimeField(null=True, blank=True)
    next_fetch_at = models.DateTimeField(null=True, blank=True, help_text="Empty: due now.")
    last_status = models.PositiveSmallIntegerField(null=True, blank=True, help_text="The last HTTP status.")
    consecutive_errors = models.PositiveIntegerField(default=0)
    failing_since = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=500, blank=True, help_text="Why the last fetch failed: one sentence.")

    class Meta:
        ordering = ["title", "id"]
        indexes = [models.Index(fields=["enabled", "next_fetch_at"], name="feed_due")]

    def __str__(self):
        return self.title or self.url
