"""A local HTTP server answering like Google (OAuth 2.0 + Calendar API v3) and Microsoft
(identity platform v2.0 + Graph v1.0) do, as far as the sync uses them: the authorize redirect,
the token endpoint checking the PKCE verifier against the challenge, refresh and revoke, the
calendar lists, incremental reads (Google sync tokens, Graph delta links, 410 once expired),
event insert / patch / delete; bearer tokens are checked (401), and any call can be made to
fail a few times (429, 500) to exercise the retries."""

from __future__ import annotations

import base64
import contextlib
import hashlib
import json
import re
import secrets
import threading
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, quote, unquote, urlencode, urlsplit

CLIENT_ID = "client-123"
CLIENT_SECRET = "secret-456"
MS_PROPERTY = "String {8c3f7a52-1d4e-4b8a-9f61-2e7d5c0b9a14} Name trainerhubBooking"


@dataclass
class Event:
    id: str
    start: datetime | date
    end: datetime | date
    free: bool = False
    booking: str = ""
    transaction: str = ""  # Graph's transactionId
    summary: str = ""
    deleted: bool = False
    seq: int = 0


@dataclass
class Calendar:
    id: str
    name: str
    primary: bool = False
    writable: bool = True
    events: dict[str, Event] = field(default_factory=dict)


@dataclass
class ProviderHost:
    port: int = 0
    calendars: dict[str, Calendar] = field(default_factory=dict)
    codes: dict[str, dict[str, str]] = field(default_factory=dict)
    access: dict[str, datetime] = field(default_factory=dict)  # token -> expiry
    refresh_tokens: set[str] = field(default_factory=set)
    revoked: list[str] = field(default_factory=list)
    requests: list[dict[str, Any]] = field(default_factory=list)
    failures: list[tuple[str, str, int]] = field(default_factory=list)
    expired_below: int = 0  # sync tokens / delta links of a sequence below this answer 410
    page_size: int = 100
    seq: int = 0
    expires_in: int = 3600
    account: str = "alice@example.com"
    lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    # --- what tests arrange ---------------------------------------------------------------

    def calendar(
        self, cid: str, name: str, *, primary: bool = False, writable: bool = True
    ) -> Calendar:
        self.calendars[cid] = Calendar(cid, name, primary, writable)
        return self.calendars[cid]

    def put(self, cid: str, eid: str, start: Any, end: Any, **fields: Any) -> Event:
        self.seq += 1
        event = Event(eid, start, end, seq=self.seq, **fields)
        self.calendars[cid].events[eid] = event
        return event

    def change(self, cid: str, eid: str, **fields: Any) -> None:
        self.seq += 1
        event = self.calendars[cid].events[eid]
        for name, value in fields.items():
            setattr(event, name, value)
        event.seq = self.seq

    def fail(self, method: str, path_part: str, *statuses: int) -> None:
        """The next calls of `method` to a path containing `path_part` answer these codes."""
        self.failures += [(method, path_part, s) for s in statuses]

    def expire_sync_tokens(self) -> None:
        self.expired_below = self.seq + 1

    def expire_access_tokens(self) -> None:
        self.access.clear()

    def calls(self, method: str, path_part: str) -> list[dict[str, Any]]:
        return [r for r in self.requests if r["method"] == method and path_part in r["path"]]

    # --- OAuth ----------------------------------------------------------------------------

    def authorize(self, query: dict[str, str]) -> str:
        """Consent given: the redirect back to the app, with a code bound to the challenge."""
        assert query["client_id"] == CLIENT_ID and query["code_challenge_method"] == "S256"
        code = secrets.token_urlsafe(8)
        self.codes[code] = {
            "challenge": query["code_challenge"],
            "redirect_uri": query["redirect_uri"],
        }
        return f"{query['redirect_uri']}?{urlencode({'code': code, 'state': query['state']})}"

    def token(self, form: dict[str, str]) -> tuple[int, dict[str, Any]]:
        if (form.get("client_id"), form.get("client_secret")) != (CLIENT_ID, CLIENT_SECRET):
            return 401, {"error": "invalid_client"}
        if form.get("grant_type") == "authorization_code":
            issued = self.codes.pop(form.get("code", ""), None)
            verifier = form.get("code_verifier", "")
            digest = hashlib.sha256(verifier.encode()).digest()
            challenge = base64.urlsafe_b64encode(digest).rstrip(b"=").decode()
            if (
                issued is None
                or issued["challenge"] != challenge
                or issued["redirect_uri"] != form.get("redirect_uri")
            ):
                return 400, {"error": "invalid_grant"}
            refresh = secrets.token_urlsafe(8)
            self.refresh_tokens.add(refresh)
            return 200, {**self._access(), "refresh_token": refresh}
        if form.get("grant_type") == "refresh_token":
            if form.get("refresh_token") not in self.refresh_tokens:
                return 400, {"error": "invalid_grant"}
            return 200, self._access()
        return 400, {"error": "unsupported_grant_type"}

    def _access(self) -> dict[str, Any]:
        token = secrets.token_urlsafe(8)
        self.access[token] = datetime.now(UTC) + timedelta(seconds=self.expires_in)
        return {"access_token": token, "expires_in": self.expires_in, "token_type": "Bearer"}

    # --- changes since a sequence number --------------------------------------------------

    def changed(
        self, cid: str, since: int | None, window: tuple[datetime, datetime] | None
    ) -> list[Event]:
        events = sorted(self.calendars[cid].events.values(), key=lambda e: e.seq)
        if since is not None:
            return [e for e in events if e.seq > since]
        return [e for e in events if not e.deleted and _overlaps(e, window)]


def _overlaps(event: Event, window: tuple[datetime, datetime] | None) -> bool:
    if window is None:
        return True
    start, end = (_as_dt(event.start), _as_dt(event.end))
    return end > window[0] and (window[1] is None or start < window[1])


def _as_dt(value: datetime | date) -> datetime:
    if isinstance(value, datetime):
        return value
    return datetime(value.year, value.month, value.day, tzinfo=UTC)


# --- provider shapes -----------------------------------------------------------------------


def google_event(e: Event) -> dict[str, Any]:
    if e.deleted:
        return {"id": e.id, "status": "cancelled"}

    def moment(v: datetime | date) -> dict[str, str]:
        return {"dateTime": v.isoformat()} if isinstance(v, datetime) else {"date": v.isoformat()}

    body: dict[str, Any] = {
        "id": e.id,
        "status": "confirmed",
        "summary": e.summary,
        "start": moment(e.start),
        "end": moment(e.end),
    }
    if e.free:
        body["transparency"] = "transparent"
    if e.booking:
        body["extendedProperties"] = {"private": {"trainerhubBooking": e.booking}}
    return body


def graph_event(e: Event) -> dict[str, Any]:
    if e.deleted:
        return {"id": e.id, "@removed": {"reason": "deleted"}}

    def moment(v: datetime | date) -> dict[str, str]:
        if isinstance(v, datetime):
            return {
                "dateTime": v.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.0000000"),
                "timeZone": "UTC",
            }
        return {"dateTime": f"{v.isoformat()}T00:00:00.0000000", "timeZone": "UTC"}

    body: dict[str, Any] = {
        "id": e.id,
        "subject": e.summary,
        "isAllDay": not isinstance(e.start, datetime),
        "showAs": "free" if e.free else "busy",
        "start": moment(e.start),
        "end": moment(e.end),
    }
    # A delta read returns no extended property (Graph would need $expand, which delta
    # refuses), but the transactionId set at creation.
    if e.booking:
        body["transactionId"] = e.transaction or f"trainerhub-{e.booking}-0"
    return body


def _parse_google_time(value: dict[str, str]) -> datetime:
    return datetime.fromisoformat(value["dateTime"])


def _parse_graph_time(value: dict[str, str]) -> datetime:
    assert value["timeZone"] == "UTC"
    return datetime.fromisoformat(value["dateTime"]).replace(tzinfo=UTC)


def start(host: ProviderHost) -> ThreadingHTTPServer:
    class Handler(BaseHTTPRequestHandler):
        def _answer(
            self, status: int, body: Any = None, headers: dict[str, str] | None = None
        ) -> None:
            data = b"" if body is None else json.dumps(body).encode()
            self.send_response(status)
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            if body is not None:
                self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                self.wfile.write(data)

        def _handle(self, method: str) -> None:
            parts = urlsplit(self.path)
            query = {k: v[0] for k, v in parse_qs(parts.query).items()}
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length) if length else b""
            record = {
                "method": method,
                "path": parts.path,
                "query": query,
                "headers": {k.lower(): v for k, v in self.headers.items()},
                "body": raw.decode(),
            }
            with host.lock:
                host.requests.append(record)
                for i, (m, part, status) in enumerate(host.failures):
                    if m == method and part in parts.path:
                        del host.failures[i]
                        retry = {"Retry-After": "1"} if status == 429 else None
                        return self._answer(status, {"error": {"code": status}}, retry)
                return self._route(method, parts.path, query, raw)

        def _route(self, method: str, path: str, query: dict[str, str], raw: bytes) -> None:
            if path.endswith("/auth") or path.endswith("/authorize"):
                return self._answer(302, None, {"Location": host.authorize(query)})
            if path.endswith("/token"):
                status, body = host.token({k: v[0] for k, v in parse_qs(raw.decode()).items()})
                return self._answer(status, body)
            if path == "/revoke":
                token = parse_qs(raw.decode()).get("token", [""])[0]
                host.revoked.append(token)
                host.refresh_tokens.discard(token)
                return self._answer(200, {})
            bearer = self.headers.get("Authorization", "").removeprefix("Bearer ")
            expiry = host.access.get(bearer)
            if expiry is None or expiry <= datetime.now(UTC):
                return self._answer(401, {"error": {"code": 401, "message": "Invalid Credentials"}})
            if path.startswith("/calendar/v3/"):
                return self._google(method, path.removeprefix("/calendar/v3"), query, raw)
            if path.startswith("/v1.0/"):
                return self._graph(method, path.removeprefix("/v1.0"), query, raw)
            return self._answer(404, {"error": "not found"})

        # --- Google Calendar v3 ---------------------------------------------------------

        def _google(self, method: str, path: str, query: dict[str, str], raw: bytes) -> None:
            if path == "/users/me/calendarList":
                items = [
                    {
                        "id": c.id,
                        "summary": c.name,
                        "primary": c.primary,
                        "accessRole": "owner" if c.writable else "reader",
                    }
                    for c in host.calendars.values()
                ]
                return self._answer(200, {"items": items})
            match = re.fullmatch(r"/calendars/([^/]+)/events(?:/([^/]+))?", path)
            if not match or unquote(match[1]) not in host.calendars:
                return self._answer(404, {"error": {"code": 404}})
            cid, eid = unquote(match[1]), unquote(match[2] or "")
            calendar = host.calendars[cid]
            if method == "GET":
                return self._google_list(cid, query)
            if method == "POST":
                body = json.loads(raw)
                event = host.put(
                    cid,
                    f"g{host.seq + 1}",
                    _parse_google_time(body["start"]),
                    _parse_google_time(body["end"]),
                    booking=body["extendedProperties"]["private"]["trainerhubBooking"],
                    summary=body["summary"],
                )
                return self._answer(200, google_event(event))
            event = calendar.events.get(eid)
            if event is None or event.deleted:
                return self._answer(
                    410 if event else 404, {"error": {"code": 410 if event else 404}}
                )
            if method == "PATCH":
                body = json.loads(raw)
                host.change(
                    cid,
                    eid,
                    start=_parse_google_time(body["start"]),
                    end=_parse_google_time(body["end"]),
                    summary=body["summary"],
                )
                return self._answer(200, google_event(event))
            host.change(cid, eid, deleted=True)
            return self._answer(204)

        def _google_list(self, cid: str, query: dict[str, str]) -> None:
            assert query.get("singleEvents") == "true"
            if "syncToken" in query:
                assert "timeMin" not in query  # Google refuses both together
                since = int(query["syncToken"].removeprefix("g-"))
                if since < host.expired_below:
                    return self._answer(
                        410, {"error": {"code": 410, "message": "fullSyncRequired"}}
                    )
                events = host.changed(cid, since, None)
            else:
                window = (datetime.fromisoformat(query["timeMin"]), None)
                events = host.changed(cid, None, window)  # type: ignore[arg-type]
            offset = int(query.get("pageToken", "0"))
            page = events[offset : offset + host.page_size]
            body: dict[str, Any] = {"items": [google_event(e) for e in page]}
            if offset + host.page_size < len(events):
                body["nextPageToken"] = str(offset + host.page_size)
            else:
                body["nextSyncToken"] = f"g-{host.seq}"
            return self._answer(200, body)

        # --- Microsoft Graph v1.0 -------------------------------------------------------

        def _graph(self, method: str, path: str, query: dict[str, str], raw: bytes) -> None:
            if path == "/me":
                return self._answer(200, {"mail": host.account, "userPrincipalName": host.account})
            if path == "/me/calendars":
                value = [
                    {
                        "id": c.id,
                        "name": c.name,
                        "isDefaultCalendar": c.primary,
                        "canEdit": c.writable,
                    }
                    for c in host.calendars.values()
                ]
                return self._answer(200, {"value": value})
            match = re.fullmatch(r"/me/calendars/([^/]+)/calendarView/delta", path)
            if match and method == "GET":
                return self._graph_delta(unquote(match[1]), query)
            match = re.fullmatch(r"/me/calendars/([^/]+)/events", path)
            if match and method == "POST":
                cid = unquote(match[1])
                body = json.loads(raw)
                prop = body["singleValueExtendedProperties"][0]
                assert prop["id"] == MS_PROPERTY
                event = host.put(
                    cid,
                    f"m{host.seq + 1}",
                    _parse_graph_time(body["start"]),
                    _parse_graph_time(body["end"]),
                    booking=prop["value"],
                    transaction=body["transactionId"],
                    summary=body["subject"],
                )
                return self._answer(201, graph_event(event))
            match = re.fullmatch(r"/me/events/([^/]+)", path)
            if not match:
                return self._answer(404, {"error": {"code": "ErrorItemNotFound"}})
            eid = unquote(match[1])
            cid = next((c.id for c in host.calendars.values() if eid in c.events), "")
            if not cid or host.calendars[cid].events[eid].deleted:
                return self._answer(404, {"error": {"code": "ErrorItemNotFound"}})
            if method == "PATCH":
                body = json.loads(raw)
                host.change(
                    cid,
                    eid,
                    start=_parse_graph_time(body["start"]),
                    end=_parse_graph_time(body["end"]),
                    summary=body["subject"],
                )
                return self._answer(200, graph_event(host.calendars[cid].events[eid]))
            host.change(cid, eid, deleted=True)
            return self._answer(204)

        def _graph_delta(self, cid: str, query: dict[str, str]) -> None:
            assert 'timezone="UTC"' in self.headers.get("Prefer", "").replace("outlook.", "")
            if "$deltatoken" in query:
                since = int(query["$deltatoken"])
                if since < host.expired_below:
                    return self._answer(410, {"error": {"code": "SyncStateNotFound"}})
                events = host.changed(cid, since, None)
            else:
                window = (
                    datetime.fromisoformat(query["startDateTime"].replace("Z", "+00:00")),
                    datetime.fromisoformat(query["endDateTime"].replace("Z", "+00:00")),
                )
                events = host.changed(cid, None, window)
            offset = int(query.get("$skiptoken", "0"))
            page = events[offset : offset + host.page_size]
            link = f"{host.base}/v1.0/me/calendars/{quote(cid, safe='')}/calendarView/delta"
            body: dict[str, Any] = {"value": [graph_event(e) for e in page]}
            if offset + host.page_size < len(events):
                rest = {k: v for k, v in query.items() if k != "$skiptoken"}
                body["@odata.nextLink"] = (
                    f"{link}?{urlencode({**rest, '$skiptoken': offset + host.page_size})}"
                )
            else:
                body["@odata.deltaLink"] = f"{link}?{urlencode({'$deltatoken': host.seq})}"
            return self._answer(200, body)

        def do_GET(self) -> None:
            self._handle("GET")

        def do_POST(self) -> None:
            self._handle("POST")

        def do_PATCH(self) -> None:
            self._handle("PATCH")

        def do_DELETE(self) -> None:
            self._handle("DELETE")

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    host.port = server.server_address[1]
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server
