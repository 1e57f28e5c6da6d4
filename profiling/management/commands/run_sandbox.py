import argparse

from django.core.management.base import BaseCommand, CommandError

from profiling.sandbox import FAULTS, SOURCES, Sandbox, SandboxConfig


def fault_option(text):
    source, _, kind = text.partition("=")
    if source not in SOURCES or kind not in FAULTS:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not SOURCE=KIND with SOURCE {' or '.join(SOURCES)} and KIND one of {', '.join(FAULTS)}"
        )
    return source, kind


class Command(BaseCommand):
    help = "Serve the sandbox upstream: NewsAPI and the Guardian's content API, offline and deterministic."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8001)
        parser.add_argument("--latency-ms", type=float, default=200.0, help="added to every answer (default 200)")
        parser.add_argument("--stories-per-feed", type=int, default=100, help="per category / section (default 100)")
        parser.add_argument("--spacing", type=float, default=600.0, help="seconds between stories (default 600)")
        parser.add_argument(
            "--newsapi-max-results",
            type=int,
            default=100,
            help="NewsAPI answers 426 past this result, as its free plan does; 0: no limit (default 100)",
        )
        parser.add_argument("--feed-entries", type=int, default=50, help="entries in each feed (default 50)")
        parser.add_argument(
            "--feed-hosts",
            type=int,
            default=0,
            help="serve on 127.0.1.1 to 127.0.1.N too, as N publishers' hosts for the feed crawler (default 0)",
        )
        parser.add_argument(
            "--fault",
            type=fault_option,
            action="append",
            default=[],
            metavar="SOURCE=KIND",
            help=f"answer every request to SOURCE ({', '.join(SOURCES)}) with a fault: {', '.join(FAULTS)}",
        )

    def handle(self, *, host, port, latency_ms, stories_per_feed, spacing, newsapi_max_results, fault, **options):
        feed_entries, feed_hosts = options["feed_entries"], options["feed_hosts"]
        if feed_entries < 0 or not 0 <= feed_hosts <= 254:
            raise CommandError("--feed-entries must be ≥ 0, and --feed-hosts from 0 to 254.")
        if not (0 <= latency_ms < 600_000) or stories_per_feed < 0 or newsapi_max_results < 0:
            raise CommandError("--latency-ms (under 600000), --stories-per-feed and --newsapi-max-results must be ≥ 0.")
        if not (0 < spacing < 10**9):
            raise CommandError("--spacing must be a number of seconds above 0.")
        if not 0 <= port <= 65535:
            raise CommandError(f"--port must be from 0 to 65535, not {port}.")
        config = SandboxConfig(
            latency=latency_ms / 1000,
            stories_per_feed=stories_per_feed,
            spacing=spacing,
            newsapi_max_results=newsapi_max_results or None,
            feed_entries=feed_entries,
        )
        try:
            sandbox = Sandbox(config, host=host, port=port)
        except OSError as exc:
            raise CommandError(f"cannot listen on {host}:{port}: {exc.strerror}.") from None
        for source, kind in fault:
            sandbox.set_fault(source, kind)
        try:
            sandbox.serve_feed_hosts(feed_hosts)
        except OSError as exc:
            raise CommandError(
                f"cannot listen on 127.0.1.x:{sandbox.server.server_address[1]}: {exc.strerror}."
            ) from None
        self.stdout.write(
            f"Sandbox upstream on {sandbox.base_url}: set NEWSAPI_BASE_URL and GUARDIAN_BASE_URL to it "
            '(any non-empty key is accepted); feeds under /feeds/ (README.md, "Sandbox upstream"). Ctrl-C stops it.'
        )
        self.stdout.flush()
        try:
            sandbox.serve_forever()
        except KeyboardInterrupt:
            pass
        finally:
            sandbox.server.server_close()
            for server in sandbox.feed_servers:
                server.server_close()
