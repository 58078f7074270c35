"""A local HTTP server answering like a calendar host: ICS bodies with an ETag (304 on a
matching If-None-Match), and the failures real hosts give (401, 404, HTML, a slow answer)."""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Route:
    body: bytes = b""
    status: int = 200
    etag: str = ""
    delay: float = 0.0
    content_type: str = "text/calendar; charset=utf-8"
    location: str = ""
    # Sent in chunks without a Content-Length, as servers stream large answers.
    chunked: bool = False


@dataclass
class CalendarHost:
    routes: dict[str, Route] = field(default_factory=dict)
    requests: list[dict[str, str]] = field(default_factory=list)
    port: int = 0

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"


@contextlib.contextmanager
def serving() -> Iterator[CalendarHost]:
    """A calendar host on 127.0.0.1 (a port of its own) for as long as the block runs."""
    host = CalendarHost()
    server = start(host)
    try:
        yield host
    finally:
        server.shutdown()
        server.server_close()


def start(host: CalendarHost) -> ThreadingHTTPServer:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            path = self.path.split("?")[0]
            self.server_requests.append(
                {"path": path, **{k.lower(): v for k, v in self.headers.items()}}
            )
            route = host.routes.get(path, Route(status=404, body=b"Not found"))
            if route.delay:
                time.sleep(route.delay)
            if route.etag and self.headers.get("If-None-Match") == route.etag:
                self.send_response(304)
                self.send_header("ETag", route.etag)
                self.end_headers()
                return
            self.send_response(route.status)
            if route.location:
                self.send_header("Location", route.location)
            self.send_header("Content-Type", route.content_type)
            if route.etag:
                self.send_header("ETag", route.etag)
            if route.chunked:
                self.send_header("Transfer-Encoding", "chunked")
            else:
                self.send_header("Content-Length", str(len(route.body)))
            self.end_headers()
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                # Unless the client gave up (a timeout test, a size limit).
                if route.chunked:
                    self._write_chunks(route.body)
                else:
                    self.wfile.write(route.body)

        def _write_chunks(self, body: bytes, size: int = 64 * 1024) -> None:
            for at in range(0, len(body), size):
                piece = body[at : at + size]
                self.wfile.write(f"{len(piece):x}\r\n".encode() + piece + b"\r\n")
            self.wfile.write(b"0\r\n\r\n")

        # A CalDAV client's first request to a moved address (the CalDAV tests' redirects).
        do_PROPFIND = do_REPORT = do_GET

        server_requests = host.requests

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    host.port = server.server_address[1]
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server
