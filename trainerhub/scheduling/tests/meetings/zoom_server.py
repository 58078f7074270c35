"""A local HTTP server answering like Zoom: the Server-to-Server OAuth token endpoint and the
meetings API (create, patch, delete), with the faults a real Zoom has: tokens that stop
working (401), rate limits (429) and its own errors (500), queued in `faults`."""

from __future__ import annotations

import base64
import json
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

ACCOUNT_ID, CLIENT_ID, CLIENT_SECRET = "acct-123", "client-abc", "secret-do-not-log"


@dataclass
class Call:
    method: str
    path: str
    query: dict[str, list[str]]
    authorization: str
    body: dict[str, Any]


@dataclass
class Zoom:
    url: str = ""
    calls: list[Call] = field(default_factory=list)
    meetings: dict[str, dict[str, Any]] = field(default_factory=dict)
    tokens: set[str] = field(default_factory=set)
    faults: list[int] = field(default_factory=list)  # next API answers, before the real one
    issued: int = 0
    next_id: int = 85_000_000_001
    expires_in: int = 3599

    def api_calls(self, method: str = "") -> list[Call]:
        return [
            c
            for c in self.calls
            if c.path.startswith("/v2/") and (not method or c.method == method)
        ]

    def token_calls(self) -> list[Call]:
        return [c for c in self.calls if c.path == "/oauth/token"]

    def revoke_tokens(self) -> None:
        self.tokens.clear()

    def answer(self, call: Call) -> tuple[int, dict[str, Any] | None]:
        if call.path == "/oauth/token":
            return self._token(call)
        if call.authorization.removeprefix("Bearer ") not in self.tokens:
            return 401, {"code": 124, "message": "Invalid access token."}
        if self.faults:
            code = self.faults.pop(0)
            return code, {"code": code, "message": "Stand-in fault."}
        parts = call.path.strip("/").split("/")
        if call.method == "POST" and parts[:2] == ["v2", "users"] and parts[3:] == ["meetings"]:
            return self._create(call)
        if parts[:2] == ["v2", "meetings"] and len(parts) == 3:
            meeting = self.meetings.get(parts[2])
            if meeting is None:
                return 404, {"code": 3001, "message": "Meeting does not exist."}
            if call.method == "PATCH":
                meeting.update(call.body)
                return 204, None
            if call.method == "DELETE":
                del self.meetings[parts[2]]
                return 204, None
        return 404, {"message": "No such endpoint."}

    def _token(self, call: Call) -> tuple[int, dict[str, Any] | None]:
        expected = base64.b64encode(f"{CLIENT_ID}:{CLIENT_SECRET}".encode()).decode()
        good = (
            call.method == "POST"
            and call.authorization == f"Basic {expected}"
            and call.query.get("grant_type") == ["account_credentials"]
            and call.query.get("account_id") == [ACCOUNT_ID]
        )
        if not good:
            return 400, {"reason": "Invalid client_id or client_secret", "error": "invalid_client"}
        self.issued += 1
        token = f"zoom-token-{self.issued}"
        self.tokens.add(token)
        body = {"access_token": token, "token_type": "bearer", "expires_in": self.expires_in}
        return 200, body

    def _create(self, call: Call) -> tuple[int, dict[str, Any] | None]:
        meeting_id = str(self.next_id)
        self.next_id += 1
        join = f"https://us02web.zoom.us/j/{meeting_id}?pwd=secretpwd{meeting_id}"
        self.meetings[meeting_id] = {**call.body, "id": int(meeting_id), "join_url": join}
        return 201, self.meetings[meeting_id]


def start() -> tuple[Zoom, ThreadingHTTPServer]:
    zoom = Zoom()

    class Handler(BaseHTTPRequestHandler):
        def _handle(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length) if length else b""
            parts = urlsplit(self.path)
            call = Call(
                method=self.command,
                path=parts.path,
                query=parse_qs(parts.query),
                authorization=self.headers.get("Authorization", ""),
                body=json.loads(raw) if raw else {},
            )
            zoom.calls.append(call)
            code, body = zoom.answer(call)
            self.send_response(code)
            if code == 429:
                self.send_header("Retry-After", "30")
            data = json.dumps(body).encode() if body is not None else b""
            if data:
                self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        do_GET = do_POST = do_PATCH = do_DELETE = _handle

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    zoom.url = f"http://127.0.0.1:{server.server_address[1]}"
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return zoom, server
