"""The image's HEALTHCHECK: exit 0 when the server in this container answers /health/ with a 2xx.

Standard library only, and no Django: it runs every few seconds and must stay cheap.
"""

import os
import sys
import urllib.request

port = os.environ.get("PORT", "").strip() or "8000"
request = urllib.request.Request(
    f"http://127.0.0.1:{port}/health/",
    # localhost is in the default ALLOWED_HOSTS; with HTTPS_ONLY the proxy header spares the redirect to https.
    headers={"Host": "localhost", "X-Forwarded-Proto": "https"},
)
try:
    with urllib.request.urlopen(request, timeout=4):  # noqa: S310 (a fixed http:// URL)
        pass
except Exception as exc:  # any failure is the answer: unhealthy
    sys.exit(f"unhealthy: {exc}")
