"""Fixtures of the notification tests: a real SMTP server (aiosmtpd), a fake Twilio /
Telegram HTTP server (http.server in a thread), and bookings made through the scheduling
services (the shared factories), so every message test starts from a state the product
itself would write."""

from __future__ import annotations

import json
import socket
import threading
from datetime import datetime, timedelta
from email import message_from_bytes, policy
from email.message import EmailMessage
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from django.utils import timezone

from trainerhub.clients.models import Client
from trainerhub.core.tests import factories
from trainerhub.scheduling import services as scheduling_services
from trainerhub.scheduling.models import Booking, Service


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Inbox:
    """What arrived at the SMTP server."""

    def __init__(self) -> None:
        self.envelopes: list[tuple[str, list[str], bytes]] = []
        self.lock = threading.Lock()

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        with self.lock:
            self.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos), envelope.content))
        return "250 Message accepted for delivery"

    @property
    def messages(self) -> list[EmailMessage]:
        with self.lock:
            return [message_from_bytes(raw, policy=policy.default) for _, _, raw in self.envelopes]

    def __len__(self) -> int:
        return len(self.envelopes)


@pytest.fixture
def smtp(settings):
    import logging

    logging.getLogger("mail.log").setLevel(logging.WARNING)  # aiosmtpd's chatter
    inbox = Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.DEFAULT_FROM_EMAIL = "TrainerHub <noreply@trainerhub.test>"
    settings.SITE_URL = "https://hub.example.com"
    inbox.port = port  # type: ignore[attr-defined]
    yield inbox
    controller.stop()


class FakeApi:
    """Answers like Twilio's Messages resource and Telegram's Bot API, errors included."""

    def __init__(self) -> None:
        self.requests: list[dict[str, Any]] = []
        self.twilio_error: tuple[int, dict] | None = None
        self.telegram_error: dict | None = None
        self.updates: list[dict] = []
        # Twilio accounts this stand-in knows: {sid: auth token} (GET .../Accounts/{sid}.json).
        self.twilio_accounts: dict[str, str] = {}
        # Telegram bots this stand-in knows: {token: username} (getMe); the operator's too.
        self.telegram_bots: dict[str, str] = {"123:ABC": "TrainerHubBot"}

    def handler(self) -> type[BaseHTTPRequestHandler]:
        api = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def _reply(self, status: int, body: dict) -> None:
                raw = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(raw)))
                self.end_headers()
                self.wfile.write(raw)

            def do_GET(self) -> None:
                import base64

                api.requests.append({"path": self.path, "headers": dict(self.headers), "body": ""})
                prefix = "/2010-04-01/Accounts/"
                if self.path.startswith(prefix) and self.path.endswith(".json"):
                    sid = self.path[len(prefix) : -len(".json")]
                    given = (self.headers.get("Authorization") or "").removeprefix("Basic ")
                    expected = f"{sid}:{api.twilio_accounts.get(sid, '')}".encode()
                    if sid in api.twilio_accounts and base64.b64decode(given or "=") == expected:
                        return self._reply(200, {"sid": sid, "status": "active"})
                    return self._reply(401, {"code": 20003, "message": "Authenticate"})
                return self._reply(404, {"message": "Not Found"})

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length).decode()
                record = {"path": self.path, "headers": dict(self.headers), "body": raw}
                api.requests.append(record)
                if "/2010-04-01/Accounts/" in self.path:
                    return self._twilio(raw)
                if "/sendMessage" in self.path:
                    return self._telegram_send(raw)
                if self.path.endswith("/getMe"):
                    return self._telegram_get_me()
                if "/getUpdates" in self.path:
                    token = self.path.split("/")[1].removeprefix("bot")
                    updates = [u for u in api.updates if u.get("_bot", token) == token]
                    result = [{k: v for k, v in u.items() if k != "_bot"} for u in updates]
                    return self._reply(200, {"ok": True, "result": result})
                if self.path.startswith("/bot") and self.path.endswith("Webhook"):
                    return self._reply(200, {"ok": True, "result": True})
                return self._reply(
                    404, {"ok": False, "error_code": 404, "description": "Not Found"}
                )

            def _twilio(self, raw: str) -> None:
                from urllib.parse import parse_qs

                if api.twilio_error:
                    return self._reply(*api.twilio_error)
                form = {k: v[0] for k, v in parse_qs(raw).items()}
                body = {"sid": f"SM{len(api.requests):032d}", "status": "queued", **form}
                return self._reply(201, body)

            def _telegram_get_me(self) -> None:
                token = self.path.split("/")[1].removeprefix("bot")
                if token not in api.telegram_bots:
                    body = {"ok": False, "error_code": 401, "description": "Unauthorized"}
                    return self._reply(401, body)
                me = {"id": int(token.split(":")[0]), "is_bot": True}
                return self._reply(
                    200, {"ok": True, "result": {**me, "username": api.telegram_bots[token]}}
                )

            def _telegram_send(self, raw: str) -> None:
                if api.telegram_error:
                    return self._reply(
                        api.telegram_error.get("error_code", 400), api.telegram_error
                    )
                payload = json.loads(raw)
                result = {"message_id": len(api.requests), "chat": {"id": payload["chat_id"]}}
                return self._reply(200, {"ok": True, "result": result})

        return Handler


@pytest.fixture
def fake_api(settings):
    api = FakeApi()
    server = ThreadingHTTPServer(("127.0.0.1", 0), api.handler())
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    settings.TWILIO_API_BASE = settings.TELEGRAM_API_BASE = base
    settings.TWILIO_ACCOUNT_SID, settings.TWILIO_AUTH_TOKEN = "AC123", "secret-token"
    settings.TWILIO_FROM_NUMBER = "+15005550006"
    settings.TELEGRAM_BOT_TOKEN, settings.TELEGRAM_BOT_NAME = "123:ABC", "TrainerHubBot"
    yield api
    server.shutdown()
    server.server_close()


# --- Bookings through the scheduling services (the shared factories) ---------------------


def make_service(trainer, **fields: Any) -> Service:
    return factories.make_service(trainer, **fields)


def make_client(trainer, **fields: Any) -> Client:
    values = {"first_name": "Carol", "last_name": "Clark", "email": "carol@example.com"}
    values.update(fields)
    return factories.make_client(trainer, **values)


def make_booking(
    trainer, client, service, start: datetime, *, status: str = "confirmed", actor: str = "trainer"
) -> Booking:
    """A booking made by `actor` through booking_create: the trainer books by hand (outside
    the hours is fine); a client books within them, and waits for confirmation when the
    service asks for it (`status="pending"` needs such a service)."""
    by_client = actor == "client"
    booking = scheduling_services.booking_create(
        trainer=trainer,
        client=client,
        service=service,
        start=start,
        source=Booking.Source.CLIENT if by_client else Booking.Source.TRAINER,
        override_rules=not by_client,
    )
    assert booking.status == status, f"booked as {booking.status}, not {status}"
    return booking


def cancel(booking: Booking, *, actor: str = "client", reason: str = "", late: bool = False):
    return scheduling_services.booking_cancel(
        booking=booking, actor=actor, reason=reason or "No reason given", late=late
    )


def move(booking: Booking, start: datetime, *, actor: str = "trainer") -> Booking:
    return scheduling_services.booking_reschedule(
        booking=booking, start=start, actor=actor, override_rules=actor != "client"
    )


@pytest.fixture
def pt(alice):
    # alice works round the clock, so a client may book any hour these tests pick.
    factories.open_every_day(alice, "00:00", "23:59")
    return make_service(alice, location="Studio 1, 10 High Street")


@pytest.fixture
def carol(alice):
    return make_client(alice)


@pytest.fixture
def in_three_days():
    # Midday, whatever the wall clock: an hour that ends past 23:59 would leave alice's hours.
    return (timezone.now() + timedelta(days=3)).replace(hour=12, minute=0, second=0, microsecond=0)
