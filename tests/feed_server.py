"""A local RSS server for tests: serves a feed (with ETags), article pages, and failures on demand."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

PAGE = """<!doctype html><html><head><title>Camp attack repelled near Boni</title></head><body>
<nav>Home | World | Africa</nav><article><h1>Camp attack repelled near Boni</h1>
<p>Malian soldiers repelled an attack on their camp near Boni on Sunday night, the army said on Monday.</p>
<p>Three attackers were killed and two soldiers were wounded in the fighting, which lasted two hours.</p>
<p>The camp, on the road between Douentza and Hombori, has been attacked several times since January.</p>
<p>Reinforcements from Douentza arrived at dawn and the road was reopened to traffic in the afternoon.</p>
</article><footer>Subscribe to our newsletter</footer></body></html>"""


def item(path: str, title: str, description: str, day: int) -> str:
    return (
        f"<item><title>{title}</title><link>{{base}}{path}</link><guid>{{base}}{path}</guid>"
        f"<pubDate>{day:02d} Nov 2026 08:00:00 GMT</pubDate><description>{description}</description></item>"
    )


@dataclass
class FeedServer:
    items: list[str] = field(default_factory=list)
    etag: str = '"v1"'
    fail_feed: bool = False
    broken_pages: set[str] = field(default_factory=set)
    requests: list[tuple[str, str | None]] = field(default_factory=list)  # (path, If-None-Match)
    base: str = ""

    def feed(self) -> bytes:
        body = "".join(i.replace("{base}", self.base) for i in self.items)
        return (
            '<?xml version="1.0"?><rss version="2.0"><channel><title>Sahel Wire (test)</title>'
            f"<link>{self.base}/</link><language>en</language>{body}</channel></rss>"
        ).encode()


@contextmanager
def serve_feed() -> Iterator[FeedServer]:
    """A running feed server on a free port; ``items`` and the failure switches can change any time."""
    state = FeedServer()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            state.requests.append((self.path, self.headers.get("if-none-match")))
            if self.path == "/feed.xml":
                if state.fail_feed:
                    return self._send(503, b"maintenance", "text/plain")
                if self.headers.get("if-none-match") == state.etag:
                    return self._send(304, b"", "application/rss+xml")
                return self._send(200, state.feed(), "application/rss+xml", {"ETag": state.etag})
            if self.path in state.broken_pages:
                return self._send(500, b"oops", "text/plain")
            if self.path.endswith(".html"):
                page = PAGE.replace("Sunday night", f"Sunday night ({self.path.strip('/')})")
                return self._send(200, page.encode(), "text/html; charset=utf-8")
            return self._send(404, b"not found", "text/plain")

        def _send(self, status: int, body: bytes, ctype: str, headers: dict[str, str] | None = None) -> None:
            self.send_response(status)
            self.send_header("content-type", ctype)
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.send_header("content-length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state.base = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()
