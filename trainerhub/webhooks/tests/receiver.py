"""A local HTTP server standing in for a trainer's webhook receiver: it records every
request (headers, raw body) and answers the status codes it is told, in order."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: bytes


@dataclass
class Receiver:
    url: str = ""
    answers: list[int] = field(default_factory=list)  # next status codes; 200 once empty
    requests: list[Received] = field(default_factory=list)
    redirect_to: str = ""


def start() -> tuple[Receiver, ThreadingHTTPServer]:
    stand_in = Receiver()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length)
            stand_in.requests.append(Received(self.path, dict(self.headers.items()), body))
            code = stand_in.answers.pop(0) if stand_in.answers else 200
            self.send_response(code)
            if stand_in.redirect_to and 300 <= code < 400:
                self.send_header("Location", stand_in.redirect_to)
            self.send_header("Content-Type", "text/plain")
            self.end_headers()
            self.wfile.write(b"ok" if code < 300 else b"receiver says no")

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    stand_in.url = f"http://127.0.0.1:{server.server_address[1]}/hook"
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return stand_in, server
