"""The API key schemes in the OpenAPI schema (imported by urls.py, which registers them)."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension

from .authentication import ApiKeyAuthentication


class ApiKeyAuthenticationScheme(OpenApiAuthenticationExtension):
    target_class = ApiKeyAuthentication
    name = ["bearer", "apiKeyHeader"]

    def get_security_definition(self, auto_schema):
        return [{"type": "http", "scheme": "bearer"}, {"type": "apiKey", "in": "header", "name": "X-Api-Key"}]
