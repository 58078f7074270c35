"""A local HTTP server answering like Paddle Billing's API: POST /transactions gives a
checkout link, GET /transactions/{id}/invoice an invoice link; `fail` makes it answer 500."""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class PaddleStandIn:
    requests: list[dict[str, Any]] = field(default_factory=list)
    fail: bool = False
    port: int = 0

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"


def start(stand_in: PaddleStandIn) -> ThreadingHTTPServer:
    class Handler(BaseHTTPRequestHandler):
        def _answer(self, status: int, body: dict[str, Any]) -> None:
            raw = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(raw)))
            self.end_headers()
            self.wfile.write(raw)

        def _record(self) -> dict[str, Any]:
            length = int(self.headers.get("Content-Length") or 0)
            body = json.loads(self.rfile.read(length) or b"null")
            entry = {
                "method": self.command,
                "path": self.path,
                "auth": self.headers.get("Authorization", ""),
                "body": body,
            }
            stand_in.requests.append(entry)
            return entry

        def do_POST(self) -> None:
            entry = self._record()
            if stand_in.fail:
                return self._answer(500, {"error": {"code": "internal_error"}})
            if entry["auth"] != "Bearer pdl_test_key":
                return self._answer(403, {"error": {"code": "forbidden"}})
            if self.path != "/transactions":
                return self._answer(404, {"error": {"code": "not_found"}})
            txn = f"txn_{len(stand_in.requests):04d}"
            url = f"{stand_in.base}/pay?_ptxn={txn}"
            return self._answer(201, {"data": {"id": txn, "checkout": {"url": url}}})

        def do_GET(self) -> None:
            self._record()
            if stand_in.fail:
                return self._answer(500, {"error": {"code": "internal_error"}})
            parts = self.path.strip("/").split("/")
            if len(parts) == 3 and parts[0] == "transactions" and parts[2] == "invoice":
                url = f"{stand_in.base}/invoices/{parts[1]}.pdf"
                return self._answer(200, {"data": {"url": url}})
            return self._answer(404, {"error": {"code": "not_found"}})

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    stand_in.port = server.server_address[1]
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server
