"""
What the OpenAPI schema says beyond the views' own 200s: the API key schemes (either
one will do), and every answer an operation can give, errors included, with the headers
a client acts on (ETag for a conditional GET, Retry-After for a 429 or a 503, the key's RateLimit headers).

urls.py imports this module, which registers the key schemes with drf-spectacular;
settings.REST_FRAMEWORK names ApiAutoSchema.
"""

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse
from rest_framework import serializers

from .authentication import ApiKeyAuthentication


class ApiKeyAuthenticationScheme(OpenApiAuthenticationExtension):
    target_class = ApiKeyAuthentication
    name = ["bearer", "apiKeyHeader"]

    def get_security_definition(self, auto_schema):
        return [{"type": "http", "scheme": "bearer"}, {"type": "apiKey", "in": "header", "name": "X-Api-Key"}]

    def get_security_requirement(self, auto_schema):
        # A list of requirements is a choice between them (one requirement naming both would need both headers).
        return [{name: []} for name in self.name]


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField(help_text="What went wrong, in one sentence.")

    class Meta:
        ref_name = "Error"


class ValidationErrorSerializer(serializers.Serializer):
    detail = serializers.CharField(help_text="Which query parameters are wrong, in one sentence.")
    errors = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        help_text="Each wrong parameter, with what is wrong with it and what it allows.",
    )

    class Meta:
        ref_name = "ValidationError"


def error(description):
    return OpenApiResponse(ErrorSerializer, description=description)


ETAG = OpenApiParameter(
    "ETag", OpenApiTypes.STR, OpenApiParameter.HEADER, response=[200, 304], description="The answer's version."
)
IF_NONE_MATCH = OpenApiParameter(
    "If-None-Match",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    description="The ETag of an answer the client holds: a 304 without a body if it is still current.",
)
RETRY_AFTER = OpenApiParameter(
    "Retry-After",
    OpenApiTypes.INT,
    OpenApiParameter.HEADER,
    response=[429, 503],
    description="Seconds to wait before trying again.",
)
RATE_LIMIT = [
    OpenApiParameter(
        f"RateLimit-{name}", OpenApiTypes.INT, OpenApiParameter.HEADER, response=[200, 304, 429], description=text
    )
    for name, text in [
        ("Limit", "The key's requests per window (API_RATE_LIMIT)."),
        ("Remaining", "The requests the key has left in this window."),
        ("Reset", "Seconds until the window ends and the count starts again."),
    ]
]
WWW_AUTHENTICATE = OpenApiParameter(
    "WWW-Authenticate", OpenApiTypes.STR, OpenApiParameter.HEADER, response=[401], description="Bearer realm=api"
)


def at_least_one_value(result, **kwargs):
    """A postprocessing hook: a list parameter (`category=business,technology`) needs a value; `category=` is a 400."""
    for operations in result["paths"].values():
        for operation in operations.values():
            for parameter in operation.get("parameters", []):
                if parameter["in"] == "query" and parameter["schema"].get("type") == "array":
                    parameter["schema"]["minItems"] = 1
    return result


class ApiAutoSchema(AutoSchema):
    """Every operation that needs an API key also declares its errors: 400 (unknown or wrong parameters), 401, 429
    and 503; 404 where it names an article; 304 and ETag where the page cache answers (the view's `page_cached`)."""

    # Not get_response_serializers(): @extend_schema(responses=...) on a view replaces that method, and the errors
    # would be lost. (A private method of drf-spectacular: test_schema.py says so if it changes.)
    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        if self.needs_key():
            for code, response in self.other_responses().items():
                responses.setdefault(str(code), self._get_response_for_code(response, str(code), direction=direction))
        return responses

    def other_responses(self):
        responses = {}
        if self.page_cached():
            responses[304] = OpenApiResponse(description="Not modified: the ETag in If-None-Match is still current.")
        responses[400] = OpenApiResponse(
            ValidationErrorSerializer, description="A query parameter is unknown, empty, given twice or out of range."
        )
        responses[401] = error("No API key, or an unknown, revoked or expired one.")
        if getattr(self.view, "action", None) == "retrieve":
            responses[404] = error("There is no such article.")
        responses[429] = error("Over the key's rate limit: try again after Retry-After seconds.")
        responses[503] = error("The database (or, for the cache's stats, the cache) is unavailable for now.")
        return responses

    def get_override_parameters(self):
        parameters = list(super().get_override_parameters())
        if self.needs_key():
            parameters += [RETRY_AFTER, WWW_AUTHENTICATE, *RATE_LIMIT]
        if self.needs_key() and self.page_cached():
            parameters += [ETAG, IF_NONE_MATCH]
        return parameters

    def needs_key(self):
        return any(isinstance(auth, ApiKeyAuthentication) for auth in self.view.get_authenticators())

    def page_cached(self):
        return getattr(self.view, "page_cached", False)
