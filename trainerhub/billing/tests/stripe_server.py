"""A local HTTP server answering like Stripe's API for what billing uses: Checkout Sessions
(create, retrieve, expire), Refunds (create), idempotency keys (the same key answers the same
object, as Stripe does), the error answers (card declined, rate limit, 500), and a hosted
checkout page where a browser "pays" and is sent back to the success URL."""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import itertools
import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlsplit

DECLINED = (
    402,
    {
        "error": {
            "type": "card_error",
            "code": "card_declined",
            "decline_code": "generic_decline",
            "message": "Your card was declined.",
        }
    },
)
RATE_LIMITED = (
    429,
    {"error": {"type": "invalid_request_error", "code": "rate_limit", "message": "Too many."}},
)
SERVER_ERROR = (500, {"error": {"type": "api_error", "message": "Something went wrong."}})


@dataclass
class StripeHost:
    sessions: dict[str, dict[str, Any]] = field(default_factory=dict)
    refunds: dict[str, dict[str, Any]] = field(default_factory=dict)
    requests: list[dict[str, Any]] = field(default_factory=list)
    # Answers to give (status, body) before the normal one, per "METHOD /path-prefix".
    failures: dict[str, list[tuple[int, dict[str, Any]]]] = field(default_factory=dict)
    idempotent: dict[str, tuple[int, dict[str, Any]]] = field(default_factory=dict)
    port: int = 0
    counter: itertools.count = field(default_factory=lambda: itertools.count(1))
    lock: threading.RLock = field(default_factory=threading.RLock)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def fail(self, key: str, *answers: tuple[int, dict[str, Any]]) -> None:
        """Give `answers` to the next requests matching key, e.g. "POST /v1/refunds"."""
        self.failures.setdefault(key, []).extend(answers)

    def posts(self, path: str) -> list[dict[str, Any]]:
        return [r for r in self.requests if r["method"] == "POST" and r["path"] == path]

    def pay(self, session_id: str) -> dict[str, Any]:
        """The client paid on the hosted page: the session is complete and paid."""
        with self.lock:
            s = self.sessions[session_id]
            if s["status"] == "open":
                s["status"] = "complete"
                s["payment_status"] = "paid"
                s["payment_intent"] = f"pi_test_{next(self.counter)}"
            return dict(s)

    def expire(self, session_id: str) -> dict[str, Any]:
        with self.lock:
            s = self.sessions[session_id]
            if s["status"] == "open":
                s["status"] = "expired"
            return dict(s)

    # --- the API ---------------------------------------------------------------------------

    def answer(self, method: str, path: str, form: dict[str, str]) -> tuple[int, dict[str, Any]]:
        if method == "POST" and path == "/v1/checkout/sessions":
            return 200, self._session_create(form)
        if path.startswith("/v1/checkout/sessions/"):
            parts = path.split("/")
            sid = parts[4]
            if sid not in self.sessions:
                return 404, {"error": {"type": "invalid_request_error", "message": "No such"}}
            if method == "POST" and len(parts) > 5 and parts[5] == "expire":
                if self.sessions[sid]["status"] != "open":
                    return 400, {
                        "error": {
                            "type": "invalid_request_error",
                            "message": "Only open sessions can be expired.",
                        }
                    }
                return 200, self.expire(sid)
            return 200, dict(self.sessions[sid])
        if method == "POST" and path == "/v1/refunds":
            return self._refund_create(form)
        return 404, {"error": {"type": "invalid_request_error", "message": "Unknown path"}}

    def _session_create(self, form: dict[str, str]) -> dict[str, Any]:
        sid = f"cs_test_{next(self.counter)}"
        session = {
            "id": sid,
            "object": "checkout.session",
            "mode": form.get("mode"),
            "status": "open",
            "payment_status": "unpaid",
            "payment_intent": None,
            "client_reference_id": form.get("client_reference_id"),
            "currency": form.get("line_items[0][price_data][currency]"),
            "amount_total": int(form.get("line_items[0][price_data][unit_amount]", "0")),
            "success_url": form.get("success_url"),
            "cancel_url": form.get("cancel_url"),
            "expires_at": int(form.get("expires_at", "0")),
            "customer_email": form.get("customer_email"),
            "url": f"{self.base}/pay/{sid}",
        }
        self.sessions[sid] = session
        return dict(session)

    def _refund_create(self, form: dict[str, str]) -> tuple[int, dict[str, Any]]:
        pi = form.get("payment_intent", "")
        paid = [s for s in self.sessions.values() if s["payment_intent"] == pi]
        if not paid:
            return 404, {"error": {"type": "invalid_request_error", "message": "No such pi"}}
        amount = int(form.get("amount") or paid[0]["amount_total"])
        given = sum(r["amount"] for r in self.refunds.values() if r["payment_intent"] == pi)
        if given + amount > paid[0]["amount_total"]:
            return 400, {
                "error": {
                    "type": "invalid_request_error",
                    "code": "charge_already_refunded",
                    "message": "Refund amount is greater than unrefunded amount on charge.",
                }
            }
        rid = f"re_test_{next(self.counter)}"
        refund = {
            "id": rid,
            "object": "refund",
            "amount": amount,
            "payment_intent": pi,
            "status": "succeeded",
        }
        self.refunds[rid] = refund
        return 200, dict(refund)


def start(host: StripeHost) -> ThreadingHTTPServer:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:
            pass

        def _read(self) -> dict[str, str]:
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length).decode() if length else ""
            return dict(parse_qsl(raw, keep_blank_values=True))

        def _send(self, status: int, body: bytes, ctype: str, location: str = "") -> None:
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            if location:
                self.send_header("Location", location)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                self.wfile.write(body)

        def _api(self, method: str) -> None:
            url = urlsplit(self.path)
            form = self._read() if method == "POST" else dict(parse_qsl(url.query))
            headers = {k.lower(): v for k, v in self.headers.items()}
            host.requests.append(
                {"method": method, "path": url.path, "headers": headers, "form": form}
            )
            if url.path.startswith("/pay/"):
                return self._page(method, url.path.split("/")[2])
            for key, queue in host.failures.items():
                verb, prefix = key.split(" ", 1)
                if verb == method and url.path.startswith(prefix) and queue:
                    status, body = queue.pop(0)
                    return self._send(status, json.dumps(body).encode(), "application/json")
            ikey = headers.get("idempotency-key", "")
            with host.lock:
                if method == "POST" and ikey and ikey in host.idempotent:
                    status, body = host.idempotent[ikey]
                else:
                    status, body = host.answer(method, url.path, form)
                    if method == "POST" and ikey and status < 500:
                        host.idempotent[ikey] = (status, body)
            self._send(status, json.dumps(body).encode(), "application/json")

        def _page(self, method: str, sid: str) -> None:
            session = host.sessions.get(sid)
            if session is None:
                return self._send(404, b"No such session", "text/plain")
            if method == "POST":
                paid = host.pay(sid)
                back = str(paid["success_url"]).replace("{CHECKOUT_SESSION_ID}", sid)
                return self._send(303, b"", "text/plain", location=back)
            amount = session["amount_total"] / 100
            page = (
                "<!doctype html><html lang=en><head><title>Stand-in checkout</title></head>"
                f"<body><h1>Pay {amount:.2f} {str(session['currency']).upper()}</h1>"
                f"<form method=post action='/pay/{sid}'><button type=submit>Pay</button></form>"
                f"<a href='{session['cancel_url']}'>Back</a></body></html>"
            )
            self._send(200, page.encode(), "text/html; charset=utf-8")

        def do_GET(self) -> None:
            self._api("GET")

        def do_POST(self) -> None:
            self._api("POST")

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    host.port = server.server_address[1]
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def sign(payload: bytes, secret: str, *, at: int | None = None) -> str:
    """The Stripe-Signature header Stripe sends: t=<unix time>,v1=<HMAC-SHA256 of
    "t.payload" with the endpoint's signing secret>."""
    stamp = int(time.time()) if at is None else at
    mac = hmac.new(secret.encode(), f"{stamp}.".encode() + payload, hashlib.sha256).hexdigest()
    return f"t={stamp},v1={mac}"


def event(event_id: str, kind: str, obj: dict[str, Any]) -> bytes:
    return json.dumps(
        {
            "id": event_id,
            "object": "event",
            "type": kind,
            "api_version": "2024-06-20",
            "created": int(time.time()),
            "data": {"object": obj},
        }
    ).encode()
