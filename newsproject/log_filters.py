"""Logging filters named in settings.LOGGING (articles/masking.py has the one that hides keys)."""

import logging


class WithoutTraceback(logging.Filter):
    """The record's one line, without the traceback attached to it: for errors that are the client's, not ours
    (a Host header this service does not answer to logs its 15-line traceback on every request otherwise)."""

    def filter(self, record):
        record.exc_info = record.exc_text = None
        return True
