"""
Answers too big to take: a gzip bomb (1 GiB of JSON whitespace, about 1 MB on the wire) and a 25 MB body,
both past the upstream client's 20 MB bound (articles/upstreams/base.py, MAX_ANSWER_BYTES). Each is made once.
"""

import gzip
import json
from functools import cache

INFLATED_MEGABYTES = 1024
HUGE_BYTES = 25 * 2**20


@cache
def gzip_bomb():
    """A gzip body that inflates to 1 GiB: a member of 1 MiB of spaces, repeated (decoders take every member)."""
    return gzip.compress(b" " * 2**20, compresslevel=9, mtime=0) * INFLATED_MEGABYTES


@cache
def huge_body():
    """A well-formed Guardian-shaped answer of exactly 25 MB, its bulk padding beside the (empty) results."""
    head = {"response": {"status": "ok", "total": 0, "pages": 1, "results": [], "padding": ""}}
    shell = json.dumps(head).encode()
    return shell.replace(b'"padding": ""', b'"padding": "' + b"x" * (HUGE_BYTES - len(shell)) + b'"')


BODIES = {
    "gzip-bomb": lambda: (gzip_bomb(), {"Content-Encoding": "gzip"}),
    "huge-body": lambda: (huge_body(), {}),
}
