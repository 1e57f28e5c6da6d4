"""Feed tokens: what a feed reader, which cannot send headers, puts in the URL of an Atom feed instead of an API key."""

from django.db import models
from rest_framework_api_key.models import APIKey


class FeedToken(models.Model):
    """A read-only token for one API key's Atom feeds, revocable on its own. Only its SHA-256 is kept (feedtokens.py);
    the token is shown once, when made. It works while neither it nor its key is revoked, and its key has not
    expired."""

    api_key = models.ForeignKey(APIKey, on_delete=models.CASCADE, related_name="feed_tokens", verbose_name="API key")
    name = models.CharField(max_length=50, blank=True, help_text="Who or what reads with it, e.g. a feed reader.")
    prefix = models.CharField(max_length=8, editable=False, help_text="The token's first characters, to tell it.")
    hashed_token = models.CharField(max_length=64, unique=True, editable=False)
    created = models.DateTimeField(auto_now_add=True)
    revoked = models.BooleanField(default=False, help_text="A revoked token is refused from its next request on.")

    class Meta:
        ordering = ["-created"]

    def __str__(self):
        return f"{self.prefix}… ({self.name or self.api_key.name})"
