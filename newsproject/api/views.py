from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import APIException
from rest_framework.response import Response
from rest_framework.views import APIView

from .cachestore import CacheUnavailable
from .parameters import check_known_parameters
from .response_cache import cache_stats


class CacheUnavailableError(APIException):
    status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    default_detail = "The cache is unavailable: the API answers from the database meanwhile."


class CacheStatsSerializer(serializers.Serializer):
    backend = serializers.ChoiceField(choices=["redis", "local memory"])
    ttl_seconds = serializers.IntegerField()
    hits = serializers.IntegerField()
    misses = serializers.IntegerField()
    hit_rate_percent = serializers.FloatField(allow_null=True, help_text="null until the first lookup")
    keys = serializers.IntegerField(help_text="pages stored now")


class CacheStatsApi(APIView):
    """The page cache's hits and misses, counted by this application (not Redis's server-wide counters)."""

    @extend_schema(responses=CacheStatsSerializer)
    def get(self, request):
        check_known_parameters(request, known=())
        try:
            return Response(CacheStatsSerializer(cache_stats()).data)
        except CacheUnavailable:
            raise CacheUnavailableError from None
