from rest_framework import serializers

from feeds.models import Feed


class FeedSerializer(serializers.ModelSerializer):
    article_count = serializers.IntegerField(read_only=True, help_text="Articles whose publisher is this feed.")

    class Meta:
        model = Feed
        fields = [
            "id", "title", "url", "site_url", "category", "format", "enabled", "last_fetched_at", "next_fetch_at",
            "last_status", "consecutive_errors", "last_error", "article_count",
        ]  # fmt: skip
        read_only_fields = fields
