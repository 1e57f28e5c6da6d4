from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from articles.api.serializers import ArticleSerializer
from articles.models import Article, Category


@extend_schema_field(ArticleSerializer)
class LeadField(serializers.Field):
    """The lead article, in the articles endpoint's shape."""

    def to_representation(self, lead):
        # attname: a foreign key's column (story_id), as the articles endpoint's values() gives it.
        values = {name: getattr(lead, Article._meta.get_field(name).attname) for name in ArticleSerializer.shown_fields}
        return ArticleSerializer(values).data


class StorySerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    title = serializers.CharField(read_only=True, help_text="its lead article's")
    category = serializers.ChoiceField(Category.choices, read_only=True)
    article_count = serializers.IntegerField(read_only=True)
    publisher_count = serializers.IntegerField(read_only=True)
    publishers = serializers.ListField(
        child=serializers.CharField(), read_only=True, help_text="most articles first, then the first to publish"
    )
    first_published_at = serializers.DateTimeField(read_only=True)
    last_published_at = serializers.DateTimeField(read_only=True)
    lead = LeadField(read_only=True, allow_null=True)


class StoryDetailSerializer(StorySerializer):
    articles = ArticleSerializer(many=True, read_only=True, source="article_list", help_text="newest first")
