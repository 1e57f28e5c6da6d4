from rest_framework import serializers

from .models import Article, Category, Source
from .selectors import LIST_FIELDS


class ArticleSerializer(serializers.ModelSerializer):
    class Meta:
        model = Article
        fields = LIST_FIELDS
        read_only_fields = LIST_FIELDS


class PublisherCountSerializer(serializers.Serializer):
    name = serializers.CharField()
    count = serializers.IntegerField()


class SourceCountSerializer(serializers.Serializer):
    source = serializers.ChoiceField(choices=Source.choices)
    name = serializers.CharField()
    count = serializers.IntegerField()
    publishers = PublisherCountSerializer(many=True)


class CategoryCountSerializer(serializers.Serializer):
    category = serializers.ChoiceField(choices=Category.choices)
    count = serializers.IntegerField()
