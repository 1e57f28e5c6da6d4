from rest_framework import serializers

from articles.models import SOURCE_CHOICES, Category


# An article as selectors.article_list() gives it, a dict of `shown_fields`. The fields are declared once, here,
# rather than built from the model by a ModelSerializer on every request (docs/BENCHMARKS.md).
class ArticleSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    title = serializers.CharField(read_only=True)
    description = serializers.CharField(read_only=True, allow_null=True, help_text="null when the upstream has none")
    url = serializers.URLField(read_only=True)
    image_url = serializers.URLField(read_only=True, allow_null=True, help_text="null when the upstream has none")
    author = serializers.CharField(read_only=True, allow_null=True, help_text="null when the upstream has none")
    source = serializers.ChoiceField(SOURCE_CHOICES, read_only=True)
    source_name = serializers.CharField(read_only=True)
    category = serializers.ChoiceField(Category.choices, read_only=True)
    published_at = serializers.DateTimeField(read_only=True)
    story = serializers.IntegerField(
        read_only=True, allow_null=True, help_text="Its story (GET /api/stories/{id}/); null until grouped"
    )
    related_count = serializers.IntegerField(
        read_only=True,
        allow_null=True,
        help_text="How many other articles its story holds; null unless collapse=story",
    )

    def to_representation(self, instance):
        # The selector's values are what JSON shows already, but for the date: each field's to_representation()
        # is skipped, as it is the larger part of a list's function calls (docs/BENCHMARKS.md).
        shown = {name: instance[name] for name in self.shown_fields}
        shown["published_at"] = self.fields["published_at"].to_representation(shown["published_at"])
        shown["related_count"] = instance.get("related_count")  # collapse=story's (stories.selectors.story_leads)
        for name in self.missing_as_null:
            shown[name] = shown[name] or None  # stored as "" when missing (the model's blank=True text fields)
        return shown


ArticleSerializer.shown_fields = tuple(name for name in ArticleSerializer().get_fields() if name != "related_count")
ArticleSerializer.missing_as_null = ("description", "image_url", "author")


class PublisherCountSerializer(serializers.Serializer):
    name = serializers.CharField()
    count = serializers.IntegerField()


class SourceCountSerializer(serializers.Serializer):
    source = serializers.ChoiceField(choices=SOURCE_CHOICES)
    name = serializers.CharField()
    count = serializers.IntegerField()
    publishers = PublisherCountSerializer(many=True)


class CategoryCountSerializer(serializers.Serializer):
    category = serializers.ChoiceField(choices=Category.choices)
    count = serializers.IntegerField()
