"""The upstreams by name: the `--source` choices and the sandbox's routes come from here."""

from . import guardian, newsapi

UPSTREAMS = {newsapi.SOURCE: newsapi, guardian.SOURCE: guardian}
