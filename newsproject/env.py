"""
Reading the environment, for settings.py (the only module that calls these).

A `.env` file beside manage.py is read too when it exists (ENV_FILE names another
file; set it empty to read none); a variable set in the real environment wins over
the file. A wrong value raises ImproperlyConfigured with one sentence naming the
variable (manage.py prints it).
"""

import math
import re
from pathlib import Path
from urllib.parse import urlsplit

import environ
from django.core.exceptions import ImproperlyConfigured

from .text import whole_number

env = environ.Env()


def read_env_file(default_path):
    """Read ENV_FILE (default: `default_path`) if it exists; return its name ("" for none)."""
    path = env.str("ENV_FILE", default=str(default_path))
    if path and Path(path).is_file():
        env.read_env(path)
    return path


def env_text(name, default=""):
    """A string; an empty variable counts as unset."""
    return env.str(name, default="").strip() or default


def env_secret(name):
    """A secret: the variable itself, else the file that `name`_FILE names (compose's secrets volume)."""
    value = env_text(name)
    path = env_text(f"{name}_FILE")
    if value or not path:
        return value
    try:
        value = Path(path).read_text().strip()
    except (OSError, UnicodeDecodeError) as exc:
        reason = getattr(exc, "strerror", None) or "not text"
        raise ImproperlyConfigured(f"{name}_FILE names {path}, which cannot be read ({reason}).") from None
    if not value:
        raise ImproperlyConfigured(f"{name}_FILE names {path}, which is empty.")
    return value


def env_list(name, default):
    return env.list(name, default=default)


def env_bool(name, default):
    # Strict on purpose: a typo such as DEBUG=ture must not silently mean False.
    raw = env_text(name)
    if not raw:
        return default
    if raw.lower() in {"1", "true", "yes", "on"}:
        return True
    if raw.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {raw!r}.")


def env_int(name, default, *, minimum, maximum=None):
    raw = env_text(name)
    if not raw:
        return default
    try:
        return whole_number(raw, minimum=minimum, maximum=maximum)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} {exc}") from None


def env_rate(name, default):
    """A rate as DRF's throttles read it: requests per s, min, hour or day (e.g. 600/min)."""
    rate = env_text(name, default)
    if not re.fullmatch(r"[1-9]\d*/(s|sec|second|m|min|minute|h|hour|d|day)", rate):
        raise ImproperlyConfigured(f"{name} must look like {default} (per s, min, hour or day), not {rate!r}.")
    return rate


def env_float(name, default, *, minimum, maximum=None):
    raw = env_text(name)
    if not raw:
        return default
    bounds = f"from {minimum} to {maximum}" if maximum is not None else f"of at least {minimum}"
    try:
        value = float(raw)
    except ValueError:
        value = math.nan
    if not math.isfinite(value) or value < minimum or (maximum is not None and value > maximum):
        raise ImproperlyConfigured(f"{name} must be a number {bounds}, not {raw!r}.")
    return value


def url_scheme(url):
    """The URL's scheme, or None when it is not a URL at all (e.g. a broken IPv6 host or port)."""
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 (parsing it is the check)
    except ValueError:
        return None
    return parts.scheme


def env_http_url(name, default):
    url = env_text(name, default).rstrip("/")
    if url_scheme(url) not in {"http", "https"} or not urlsplit(url).netloc:
        raise ImproperlyConfigured(f"{name} must be an http:// or https:// URL, not {url!r}.")
    return url


def env_database(name):
    """Django's DATABASES entry for the URL in `name`."""
    return env.db_url_config(env_text(name))
