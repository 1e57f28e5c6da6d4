"""The API served over real HTTP, as a client outside the process sees it."""

import threading

import pytest
from django.core.servers.basehttp import ThreadedWSGIServer, WSGIRequestHandler

from newsproject.wsgi import application

PORTS = range(18600, 18700)


class QuietHandler(WSGIRequestHandler):
    def log_message(self, *args):
        pass  # the service's own log line is enough


def serve(app):
    """A threaded server of `app` on the first free port of PORTS; each request thread closes its DB connections."""
    for port in PORTS:
        try:
            server = ThreadedWSGIServer(("127.0.0.1", port), QuietHandler, allow_reuse_address=False)
        except OSError:
            continue
        server.set_app(app)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        return server
    raise RuntimeError(f"no free port in {PORTS.start}-{PORTS.stop - 1}")


@pytest.fixture
def live_api(transactional_db, settings, make_articles):
    """The base URL of the whole service (the page cache's WSGI layer in front of Django), over a few articles in
    two sources and categories. The database is committed to, so that the server's threads see it."""
    settings.API_RATE_LIMIT = "100000/min"
    make_articles(3, category="business", source="guardian", source_name="The Guardian")
    make_articles(3, image_url="https://img.example.com/a.jpg", author="A. Writer", source_name="Example Times")
    server = serve(application)
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def feed_token(api_key):
    """A feed token of the `api_key` fixture's key, for its Atom feeds."""
    from rest_framework_api_key.models import APIKey

    from articles.api.feedtokens import feed_token_create

    return feed_token_create(api_key=APIKey.objects.get_from_key(api_key), name="a feed reader")[1]
