from django.db import models


class Story(models.Model):
    """An event, told by one article or many. Its figures are kept from its articles by services.grouping."""

    title = models.TextField(blank=True, help_text="Its lead article's.")
    lead = models.ForeignKey(
        "articles.Article", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", help_text="Its first."
    )
    category = models.CharField(max_length=16, blank=True, help_text="Its lead article's.")
    article_count = models.PositiveIntegerField(default=0)
    publisher_count = models.PositiveIntegerField(default=0)
    publishers = models.JSONField(default=list, blank=True, help_text="Most articles first, then the first to publish.")
    publisher_articles = models.JSONField(default=dict, blank=True, help_text="Each publisher's article count.")
    first_published_at = models.DateTimeField(null=True)
    last_published_at = models.DateTimeField(null=True)
    centroid = models.JSONField(default=dict, blank=True, help_text="Its heaviest terms and their summed weights.")
    manual = models.BooleanField(
        default=False, help_text="Made or merged by an operator: a rebuild keeps its articles in it."
    )
    terms_stale = models.BooleanField(  # db_default: the release before it writes stories without it
        default=False,
        db_default=False,
        help_text="Its centroid changed and its StoryTerm rows are still to be written from it.",
    )

    class Meta:
        verbose_name_plural = "stories"
        ordering = ["-publisher_count", "-last_published_at", "-id"]
        indexes = [
            models.Index(fields=["-last_published_at", "-id"], name="story_newest"),
            models.Index(fields=["-publisher_count", "-last_published_at", "-id"], name="story_top"),
            models.Index(fields=["category", "-publisher_count", "-last_published_at"], name="story_category_top"),
            models.Index(fields=["id"], condition=models.Q(terms_stale=True), name="story_terms_stale"),
        ]

    def __str__(self):
        return self.title or f"story {self.pk}"


class StoryTerm(models.Model):
    """The inverted index of stories by term, within a time window: how a new article finds its candidates."""

    # No constraint in the database: rows are written only from stored stories, under their row locks
    # (storing.index_stale_stories), and deleted with them by Django's CASCADE; checking each row at the commit
    # cost as much as writing it (docs/BENCHMARKS.md, "A run-long index"). No index of its own: storyterm_unique's
    # leads with it.
    story = models.ForeignKey(
        Story, on_delete=models.CASCADE, related_name="terms", db_constraint=False, db_index=False
    )
    term = models.CharField(max_length=64)
    weight = models.FloatField()
    last_published_at = models.DateTimeField(help_text="The story's, copied: the window is read from this index.")

    class Meta:
        indexes = [models.Index(fields=["term", "last_published_at"], name="storyterm_term_recent")]
        constraints = [models.UniqueConstraint(fields=["story", "term"], name="storyterm_unique")]

    def __str__(self):
        return f"{self.term} ({self.story_id})"
