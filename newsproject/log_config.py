"""settings.LOGGING: one line per record on stderr, upstream API keys masked (articles/masking.py), and the
filters it names."""

import logging


class WithoutTraceback(logging.Filter):
    """The record's one line, without the traceback attached to it: for errors that are the client's, not ours
    (a Host header this service does not answer to logs its 15-line traceback on every request otherwise)."""

    def filter(self, record):
        record.exc_info = record.exc_text = None
        return True


def log_config(level):
    """settings.LOGGING, the service's own loggers at `level`."""
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {
            "mask_secrets": {"()": "articles.masking.MaskSecretsFilter"},
            "without_traceback": {"()": "newsproject.log_config.WithoutTraceback"},
        },
        "formatters": {"line": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
        "handlers": {
            "stderr": {"class": "logging.StreamHandler", "formatter": "line", "filters": ["mask_secrets"]},
            "stderr_one_line": {
                "class": "logging.StreamHandler",
                "formatter": "line",
                "filters": ["mask_secrets", "without_traceback"],
            },
        },
        "root": {"handlers": ["stderr"], "level": "WARNING"},
        "loggers": {
            # Replaces Django's own console handler, which would print each of its lines a second time.
            "django": {"handlers": ["stderr"], "level": "INFO", "propagate": False},
            # runserver's line per request, with its query string: Django's default gives it a handler of its own,
            # which would not mask a feed token.
            "django.server": {"handlers": ["stderr"], "level": "INFO", "propagate": False},
            "django.security.DisallowedHost": {"handlers": ["stderr_one_line"], "propagate": False},
            "articles": {"level": level},
            "profiling": {"level": level},
        },
    }
