from django.contrib.postgres.search import SearchVectorField
from django.db import models


class Source(models.TextChoices):
    """The upstream API an article was fetched from (the API's `source` filter offers these)."""

    NEWSAPI = "newsapi", "NewsAPI"
    GUARDIAN = "guardian", "The Guardian"


# RSS, Atom and JSON Feed: one Feed row each (the feeds app). Every source an article or a run may have (and the
# API's `source` filter offers) is an upstream or this.
FEEDS = "feeds"
SOURCE_CHOICES = [*Source.choices, (FEEDS, "Feeds")]
SOURCES = [value for value, _ in SOURCE_CHOICES]


class Category(models.TextChoices):
    """One set for both upstreams: NewsAPI's own categories (the Guardian's sections map onto it)."""

    BUSINESS = "business"
    ENTERTAINMENT = "entertainment"
    GENERAL = "general"
    HEALTH = "health"
    SCIENCE = "science"
    SPORTS = "sports"
    TECHNOLOGY = "technology"


class Article(models.Model):
    url = models.URLField("canonical URL", max_length=2000, unique=True)
    source = models.CharField(max_length=16, choices=SOURCE_CHOICES)
    source_name = models.CharField("publisher", max_length=200, blank=True)
    external_id = models.CharField("upstream id", max_length=500, blank=True)
    title = models.TextField()
    description = models.TextField(blank=True)
    author = models.CharField(max_length=300, blank=True)
    image_url = models.URLField(max_length=2000, blank=True)
    category = models.CharField(max_length=16, choices=Category.choices)
    published_at = models.DateTimeField()
    first_seen_at = models.DateTimeField()
    last_updated_at = models.DateTimeField()
    # Title (weight A) and description (B) as PostgreSQL's text search reads them, kept by a trigger (migration 0007)
    # and indexed there (GIN); never shown, never selected by the API (articles.selectors.article_list).
    search_vector = SearchVectorField(null=True, editable=False)
    # The event it reports (stories/): null only between its upsert and its grouping, in the same transaction.
    story = models.ForeignKey(
        "stories.Story", null=True, blank=True, on_delete=models.SET_NULL, related_name="articles"
    )
    # The feed (feeds/) whose entry the stored copy is: null for the upstreams' articles, and once that feed is
    # deleted (its articles stay, under their publisher's name). Indexed by article_feed_newest below.
    feed = models.ForeignKey(
        "feeds.Feed", null=True, blank=True, on_delete=models.SET_NULL, related_name="articles", db_index=False
    )

    class Meta:
        ordering = ["-published_at", "-id"]
        indexes = [
            models.Index(fields=["-published_at", "-id"], name="article_newest"),
            # Each filter's pages, in the list's whole order: a page by cursor starts at its place in one of these.
            models.Index(fields=["category", "-published_at", "-id"], name="article_category_page"),
            models.Index(fields=["source", "-published_at", "-id"], name="article_source_page"),
            models.Index(fields=["source_name", "-published_at", "-id"], name="article_publisher_page"),
            # A feed's articles (feed=<id>) and their count (/api/feeds/): only the feeds' rows are in it.
            models.Index(
                fields=["feed", "-published_at"], name="article_feed_newest", condition=models.Q(feed__isnull=False)
            ),
        ]

    def __str__(self):
        return self.title


class ArticleCount(models.Model):
    """How many articles each (source, publisher, category) has: kept by PostgreSQL's triggers on the articles table
    (migration 0006), for every write path alike, so that counts are read rather than counted (articles/counts.py)."""

    source = models.CharField(max_length=16, choices=SOURCE_CHOICES)
    source_name = models.CharField("publisher", max_length=200, blank=True)
    category = models.CharField(max_length=16, choices=Category.choices)
    count = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["source", "source_name", "category"], name="articlecount_unique"),
        ]

    def __str__(self):
        return f"{self.source} {self.source_name} {self.category}: {self.count}"


class IngestRun(models.Model):
    """One source's part of one `fetch_articles` run."""

    class Status(models.TextChoices):
        RUNNING = "running"
        OK = "ok"
        FAILED = "failed"
        SKIPPED = "skipped"
        INTERRUPTED = "interrupted"  # stopped before its end: Ctrl-C, SIGTERM, or a process found gone

    source = models.CharField(max_length=16, choices=SOURCE_CHOICES)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.RUNNING)
    dry_run = models.BooleanField(default=False)
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    requests_made = models.PositiveIntegerField(
        default=0, help_text="Counted before each request is sent: a run that is killed is never under-counted."
    )
    fetched = models.PositiveIntegerField(default=0)
    created = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)
    skipped = models.PositiveIntegerField(default=0)
    categories = models.JSONField(
        default=list, blank=True, help_text="The categories fetched to the end: the next run starts these from here."
    )
    message = models.TextField(blank=True, help_text="Why the source failed or was skipped, or stopped early.")

    class Meta:
        ordering = ["-started_at", "-id"]
        indexes = [
            models.Index(fields=["source", "-started_at"], name="ingestrun_source_recent"),
            # The runs not yet ended, looked for by every readiness check (services.runs).
            models.Index(fields=["status"], condition=models.Q(status="running"), name="ingestrun_running"),
        ]

    def __str__(self):
        return f"{self.source} {self.started_at:%Y-%m-%d %H:%M} {self.status}"

    @property
    def seconds(self):
        if self.finished_at is None:
            return None
        return (self.finished_at - self.started_at).total_seconds()


# What a run counts: its whole-number fields, in order. SourceResult, the command's summary and the admin's
# columns are built from this, so that a new counter is one field above (and its migration).
RUN_COUNTERS = tuple(field.name for field in IngestRun._meta.fields if isinstance(field, models.PositiveIntegerField))
