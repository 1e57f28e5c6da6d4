"""
A local stand-in for NewsAPI and the Guardian's content API, over real HTTP.

It answers the two endpoints the ingest uses with the real response and error shapes, laid out
as the answers recorded in articles/upstreams/samples/ (README.md, "Sandbox upstream", lists
the fields), one module per upstream it imitates, as articles/upstreams/ has one per client:

- `newsapi.py`: `GET /v2/top-headlines?category=&pageSize=&page=`;
- `guardian.py`: `GET /search?section=a|b&from-date=&page-size=&page=&show-fields=`;
- `stories.py`: what both share: the deterministic stories, the layout taken from the samples;
- `server.py`: the server, its configuration and clock, the faults, and the handler that routes
  each request to its imitation.
"""

from .server import FAULTS, SOURCES, Fault, RecordedRequest, Sandbox, SandboxConfig, sandbox_process

__all__ = ["FAULTS", "SOURCES", "Fault", "RecordedRequest", "Sandbox", "SandboxConfig", "sandbox_process"]
