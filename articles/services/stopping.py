"""
Ctrl-C and SIGTERM end a run, keeping what was stored.

The signal raises KeyboardInterrupt wherever the main thread is. When that is inside a query, psycopg cancels the
query on the server, and the cancel can come back as a database error in place of the KeyboardInterrupt (out of
a COPY's end, or on the statement after). A handler of store errors calls `raise_if_stopping` first, so that a
stop is never taken for a batch the database refused, retried, and the run carried on to its end.
"""

import signal
from contextlib import contextmanager
from threading import Event

_stop_requested = Event()


def record_stop():
    _stop_requested.set()


def raise_if_stopping(exc):
    if _stop_requested.is_set():
        raise KeyboardInterrupt from exc


def _stop(signum, frame):
    record_stop()
    raise KeyboardInterrupt


@contextmanager
def stop_on_ctrl_c_and_sigterm():
    """SIGTERM (docker stop, the scheduler stopping) ends a run as Ctrl-C does."""
    _stop_requested.clear()
    previous = {number: signal.signal(number, _stop) for number in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)
        _stop_requested.clear()
