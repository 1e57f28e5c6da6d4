"""The API of the articles: views, serializers, filters, keys, the rate limit, the page cache, parameters and errors.

Nothing outside this package imports it but the root URLconf and the settings' dotted paths."""
