"""API keys and feed tokens never reach a log line, an error message or an IngestRun: everything passes through
here. mask_url_parameters() needs no settings: gunicorn's access log uses it before Django is set up."""

import logging
import re

from django.conf import settings

MIN_SECRET_LENGTH = 8
# The upstreams' key parameters, and the Atom feed's token (articles/api/feed.py).
_KEY_PARAMETER = re.compile(r"((?:api-key|apikey|api_key|token)=)[^&\s'\"]+", re.IGNORECASE)


def mask_url_parameters(text):
    """`text` with the value of every key or token parameter in it replaced by ***."""
    return _KEY_PARAMETER.sub(r"\1***", str(text))


def mask_secrets(text):
    """Hide the upstream API keys and the feed tokens in `text`, as values and as URL parameters."""
    text = mask_url_parameters(text)
    for key in (settings.NEWSAPI_KEY, settings.GUARDIAN_API_KEY):
        # Real keys are 32 characters or more; hiding a short value would only garble the text around it.
        if len(key) >= MIN_SECRET_LENGTH:
            text = text.replace(key, "***")
    return text


class MaskSecretsFilter(logging.Filter):
    """Masks API keys in every record that reaches a handler, urllib3's included (settings.LOGGING)."""

    def filter(self, record):
        record.msg = mask_secrets(record.getMessage())
        record.args = ()
        if record.exc_info:
            record.exc_text = mask_secrets(logging.Formatter().formatException(record.exc_info))
        return True
