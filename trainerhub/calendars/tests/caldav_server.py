"""A real CalDAV server for the tests: Radicale, in this process, on a free port of 127.0.0.1,
with htpasswd authentication and its collections in a temporary folder.

Calendars are created with MKCALENDAR and events PUT into them through the `caldav` client,
as a calendar app would; the code under test then reads them like any other server's.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from socketserver import ThreadingMixIn
from typing import Any
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

import caldav
import radicale
from radicale import config

USER = "alice"
PASSWORD = "app-pass-7f3k-q9zw"


class _Server(ThreadingMixIn, WSGIServer):
    daemon_threads = True


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


@dataclass
class CalDavServer:
    port: int
    # "METHOD /path" of every request the server was sent, in order.
    requests: list[str] = field(default_factory=list)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    def calendar_url(self, name: str) -> str:
        return f"{self.base}{USER}/{name}/"

    def make_calendar(self, name: str, *events: str) -> str:
        """A calendar of USER with these VCALENDAR texts PUT into it; its address."""
        with caldav.DAVClient(url=self.base, username=USER, password=PASSWORD) as client:
            calendar = client.principal().make_calendar(name=name.title(), cal_id=name)
            for text in events:
                calendar.save_event(text)
        return self.calendar_url(name)

    def put(self, name: str, text: str) -> None:
        """One more event PUT into an existing calendar."""
        with caldav.DAVClient(url=self.base, username=USER, password=PASSWORD) as client:
            client.calendar(url=self.calendar_url(name)).save_event(text)


@contextmanager
def running(folder: Path) -> Iterator[CalDavServer]:
    users = folder / "users"
    users.write_text(f"{USER}:{PASSWORD}\n")
    configuration = config.load()
    configuration.update(
        {
            "auth": {
                "type": "htpasswd",
                "htpasswd_filename": str(users),
                "htpasswd_encryption": "plain",
                # Radicale waits a few seconds after a wrong password by default.
                "delay": "0",
            },
            "storage": {"filesystem_folder": str(folder / "collections")},
            "rights": {"type": "owner_only"},
        },
        "tests",
        privileged=True,
    )
    app = radicale.Application(configuration)
    seen: list[str] = []

    def recording(environ: dict[str, Any], start_response: Any) -> Any:
        seen.append(f"{environ['REQUEST_METHOD']} {environ['PATH_INFO']}")
        return app(environ, start_response)

    server = make_server(
        "127.0.0.1", 0, recording, server_class=_Server, handler_class=_QuietHandler
    )
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield CalDavServer(port=server.server_address[1], requests=seen)
    finally:
        server.shutdown()
        server.server_close()
