"""A local HTTP server on 127.0.0.1 for fetch tests: each path serves a feed, a page or a failure."""

from __future__ import annotations

import gzip
import threading
import time
from collections import Counter
from collections.abc import Callable
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

FEEDS = Path(__file__).resolve().parent / "data" / "feeds"
Handler = Callable[[BaseHTTPRequestHandler], None]


def rss(items: list[dict[str, str]], *, title: str = "Test wire") -> bytes:
    """A small RSS 2.0 feed; item keys: title, link, guid, pubDate, description, content."""
    parts = [f'<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0" '
             f'xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title>{title}</title>']
    for it in items:
        parts.append("<item>")
        for key in ("title", "link", "guid", "pubDate", "description"):
            if key in it:
                parts.append(f"<{key}>{it[key]}</{key}>")
        if "content" in it:
            parts.append(f"<content:encoded><![CDATA[{it['content']}]]></content:encoded>")
        parts.append("</item>")
    parts.append("</channel></rss>")
    return "".join(parts).encode()


class FeedServer:
    """Routes by path; counts hits and keeps each request's headers. Use as a context manager."""

    def __init__(self) -> None:
        self.routes: dict[str, Handler] = {}
        self.hits: Counter[str] = Counter()
        self.headers: list[tuple[str, dict[str, str]]] = []
        self.stop = threading.Event()
        server = self

        class _Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:  # noqa: N802 (http.server's name)
                path = self.path.split("?", 1)[0]
                server.hits[path] += 1
                server.headers.append((path, {k.lower(): v for k, v in self.headers.items()}))
                handler = server.routes.get(path)
                try:
                    if handler is None:
                        send(self, 404, b"not found", "text/plain")
                    else:
                        handler(self)
                except (OSError, ValueError):  # the client hung up, as the fetcher does on a cap
                    self.close_connection = True

            def log_message(self, *args: Any) -> None:
                pass

        class _Server(ThreadingHTTPServer):
            def handle_error(self, request: Any, client_address: Any) -> None:
                pass  # a client that hangs up mid-answer is what these tests do

        self.httpd = _Server(("127.0.0.1", 0), _Handler)
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        self._thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self) -> FeedServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        self.httpd.shutdown()
        self.httpd.server_close()

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def last_headers(self, path: str) -> dict[str, str]:
        return [h for p, h in self.headers if p == path][-1]

    # ------------------------------------------------------------------ what a path serves

    def static(self, path: str, body: bytes, *, status: int = 200, ctype: str = "application/rss+xml",
               headers: dict[str, str] | None = None) -> None:
        self.routes[path] = lambda h: send(h, status, body, ctype, headers)

    def feed(self, path: str, body: bytes, *, etag: str = '"v1"', headers: dict[str, str] | None = None) -> None:
        """A feed that answers 304 to a request bearing its ETag."""

        def handler(h: BaseHTTPRequestHandler) -> None:
            if h.headers.get("If-None-Match") == etag:
                send(h, 304, b"", None, {"ETag": etag, **(headers or {})})
            else:
                send(h, 200, body, "application/rss+xml; charset=utf-8", {"ETag": etag, **(headers or {})})

        self.routes[path] = handler

    def silent(self, path: str) -> None:
        """Accepts the request and never answers."""
        self.routes[path] = lambda h: self.stop.wait(30)

    def trickle(self, path: str, every: float = 0.1) -> None:
        """Sends headers, then one byte of body at a time, for as long as anyone listens."""

        def handler(h: BaseHTTPRequestHandler) -> None:
            h.send_response(200)
            h.send_header("Content-Type", "application/rss+xml")
            h.send_header("Content-Length", "100000")
            h.end_headers()
            h.wfile.write(b"<")
            for _ in range(100000):
                if self.stop.wait(every):
                    return
                h.wfile.write(b" ")
                h.wfile.flush()

        self.routes[path] = handler

    def endless(self, path: str, *, declare_length: bool = False) -> None:
        """A body that never ends (chunked), or that announces its huge size up front."""

        def handler(h: BaseHTTPRequestHandler) -> None:
            h.send_response(200)
            h.send_header("Content-Type", "application/rss+xml")
            if declare_length:
                h.send_header("Content-Length", str(50 * 1024 * 1024))
                h.end_headers()
            else:
                h.send_header("Transfer-Encoding", "chunked")
                h.end_headers()
            block = b"<!-- padding -->" * 4096
            for _ in range(4000):
                if self.stop.is_set():
                    return
                h.wfile.write(block if declare_length else b"%x\r\n%s\r\n" % (len(block), block))

        self.routes[path] = handler

    def gzip_bomb(self, path: str, size: int = 20 * 1024 * 1024) -> None:
        body = gzip.compress(b"<rss>" + b" " * size, compresslevel=9)
        self.static(path, body, headers={"Content-Encoding": "gzip"})

    def redirect(self, path: str, to: str, status: int = 302) -> None:
        self.routes[path] = lambda h: send(h, status, b"", "text/plain", {"Location": to})

    def busy(self, path: str, status: int, retry_after: str) -> None:
        self.static(path, b"slow down", status=status, ctype="text/plain", headers={"Retry-After": retry_after})


def send(h: BaseHTTPRequestHandler, status: int, body: bytes, ctype: str | None,
         headers: dict[str, str] | None = None) -> None:
    h.send_response(status)
    if ctype:
        h.send_header("Content-Type", ctype)
    h.send_header("Date", formatdate(time.time(), usegmt=True))
    for key, value in (headers or {}).items():
        h.send_header(key, value)
    if status != 304:
        h.send_header("Content-Length", str(len(body)))
    h.end_headers()
    if status != 304 and body:
        h.wfile.write(body)
