"""What ships, tested the way a user starts it: `make run` (gunicorn + WhiteNoise + the worker,
DEBUG off, static files collected), not pytest's live server.

Our first release served every page without CSS and JavaScript while the whole suite was green,
because only the live server was tested. This test starts the real `make run` target in a
temporary data folder (its own database: a fresh SQLite file, or a fresh PostgreSQL database
beside the suite's when DATABASE_URL names one), waits for /healthz to report the worker's
first pass, signs in as the demo trainer and checks the main pages in Chromium: every
stylesheet and script answers 200 with its content type, the stylesheet visibly applies, no
console error, no failed request. Screenshots go to test-artifacts/screenshots/as-shipped-*.
"""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import psycopg
import pytest

from tests.e2e.conftest import DESKTOP, PHONE, SHOTS
from trainerhub.core.management.commands.seed_demo import EMAIL, PASSWORD

pytestmark = [pytest.mark.browser]

ROOT = Path(__file__).resolve().parents[2]
APP_CSS = ROOT / "trainerhub" / "static" / "css" / "app.css"
START_TIMEOUT = 300  # a fresh database is migrated and seeded first
ONE_YEAR = 365 * 24 * 3600


@dataclass
class Server:
    base: str
    log: Path
    process: subprocess.Popen[bytes]

    def log_tail(self, lines: int = 60) -> str:
        return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])


@dataclass
class Traffic:
    """What the browser saw while a page loaded."""

    responses: list[Any] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)

    def listen(self, page: Any) -> None:
        page.on("response", lambda r: self.responses.append(r))
        page.on("requestfailed", lambda r: self.failed.append(f"{r.url} ({r.failure})"))
        page.on(
            "console", lambda m: self.console_errors.append(m.text) if m.type == "error" else None
        )
        page.on("pageerror", lambda exc: self.console_errors.append(str(exc)))

    def clear(self) -> None:
        self.responses.clear()
        self.failed.clear()
        self.console_errors.clear()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def database_url() -> Iterator[str | None]:
    """None (SQLite in the data folder, as `make run` does by default), or a fresh PostgreSQL
    database named after the suite's, dropped afterwards: never the developer's own data."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        yield None
        return
    parts = urlsplit(url)
    name = f"{parts.path.lstrip('/') or 'trainerhub'}_shipped_{os.getpid()}"[:63]
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')
    yield urlunsplit(parts._replace(path=f"/{name}"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def shipped(tmp_path: Path, database_url: str | None) -> Iterator[Server]:
    port = _free_port()
    # A clean environment, as on a fresh machine: nothing of the test run (the async escape
    # hatch, a test database, a developer's EMAIL_URL) leaks into the server.
    env = {
        "PATH": os.environ["PATH"],
        "HOME": os.environ.get("HOME", str(tmp_path)),
        "LANG": "C.UTF-8",
        "DATA_DIR": str(tmp_path / "data"),
        "STATIC_ROOT": str(tmp_path / "static"),
        "HOST": "127.0.0.1",
        "PORT": str(port),
        "WEB_CONCURRENCY": "2",
    }
    if database_url:
        env["DATABASE_URL"] = database_url
    log = tmp_path / "make-run.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            ["make", "--no-print-directory", "run"],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: make, gunicorn and the worker
        )
    server = Server(base=f"http://127.0.0.1:{port}", log=log, process=process)
    try:
        _wait_for_worker_pass(server)
        yield server
    finally:
        _stop_group(process)
        # pytest shows this only when the test failed: what the server said.
        print(f"--- end of `make run`'s output ---\n{server.log_tail(120)}")


def _wait_for_worker_pass(server: Server) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    last = "no answer yet"
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            pytest.fail(f"`make run` exited with {server.process.returncode}:\n{server.log_tail()}")
        try:
            status, body, _ = _get(f"{server.base}/healthz")
            last = f"{status} {body!r}"
            if status == 200 and json.loads(body)["worker"]["status"] == "ok":
                return
        except OSError as exc:
            last = str(exc)
        time.sleep(0.5)
    pytest.fail(f"/healthz never reported the worker's pass ({last}):\n{server.log_tail()}")


def _stop_group(process: subprocess.Popen[bytes]) -> None:
    """SIGTERM to the whole group (as systemd or Ctrl-C would), SIGKILL what is left after
    30 s; then nothing of the group may remain."""
    pgid = process.pid
    try:
        os.killpg(pgid, signal.SIGTERM)
    except ProcessLookupError:
        return
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and _group_alive(pgid):
        process.poll()
        time.sleep(0.2)
    if _group_alive(pgid):
        os.killpg(pgid, signal.SIGKILL)
        time.sleep(0.5)
    process.wait(10)
    assert not _group_alive(pgid), "processes of `make run` survived SIGKILL"


def _group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    return True


def _get(url: str, headers: dict[str, str] | None = None) -> tuple[int, bytes, Any]:
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.read(), response.headers
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read(), exc.headers


def _css_token(name: str) -> str:
    """A design token's light-theme value as app.css declares it (its first declaration)."""
    match = re.search(rf"--{name}:\s*([^;]+);", APP_CSS.read_text())
    assert match, f"--{name} is not declared in {APP_CSS}"
    return match.group(1).strip()


def _check_assets(page: Any, traffic: Traffic, label: str) -> list[str]:
    """Every stylesheet and script the page names answers 200 with its content type, and
    nothing the browser asked for failed or answered 400 or more. Returns the stylesheets."""
    bad = [f"{r.status} {r.url}" for r in traffic.responses if r.status >= 400]
    assert not bad, f"{label}: responses of 400 or more: {bad}"
    assert not traffic.failed, f"{label}: failed requests: {traffic.failed}"
    assert not traffic.console_errors, f"{label}: console errors: {traffic.console_errors}"
    # From the document itself, so a file the browser did not report is checked all the same.
    sheets = page.evaluate(
        "[...document.querySelectorAll('link[rel=stylesheet]')].map(e => e.href)"
    )
    scripts = page.evaluate("[...document.querySelectorAll('script[src]')].map(e => e.src)")
    assert sheets, f"{label}: the page names no stylesheet"
    assert scripts, f"{label}: the page names no script"
    for url, kind in [*((u, "text/css") for u in sheets), *((u, "javascript") for u in scripts)]:
        response = page.request.get(url)
        content_type = response.headers.get("content-type", "")
        assert response.status == 200, f"{label}: {response.status} {url}"
        assert kind in content_type, f"{label}: {url} answered {content_type!r}"
    return sheets


def _assert_app_styles(page: Any, label: str) -> None:
    # Without app.css, :root has no --bg, the page background is transparent and body is a
    # block; with it, the token is declared, painted, and body is the flex column of the layout.
    styles = page.evaluate(
        """() => {
            const root = getComputedStyle(document.documentElement);
            return {
                bg: root.getPropertyValue('--bg').trim(),
                paint: root.backgroundColor,
                display: getComputedStyle(document.body).display,
            };
        }"""
    )
    assert styles["bg"] == _css_token("bg"), f"{label}: {styles}"
    assert styles["paint"] != "rgba(0, 0, 0, 0)", f"{label}: {styles}"
    assert styles["display"] == "flex", f"{label}: {styles}"


def _screenshots(page: Any, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    for size, label in ((DESKTOP, "desktop"), (PHONE, "375")):
        page.set_viewport_size(size)
        page.reload()
        page.wait_for_load_state("networkidle")
        page.screenshot(path=str(SHOTS / f"as-shipped-{name}-{label}.png"), full_page=True)
    page.set_viewport_size(DESKTOP)


def _open(page: Any, traffic: Traffic, url: str) -> None:
    traffic.clear()
    response = page.goto(url)
    assert response is not None and response.status == 200, f"{url}: {response and response.status}"
    page.wait_for_load_state("networkidle")


def test_make_run_serves_the_styled_app(browser: Any, shipped: Server) -> None:
    base = shipped.base
    status, body, headers = _get(f"{base}/healthz")
    health = json.loads(body)
    assert (status, health["status"], health["worker"]["status"]) == (200, "ok", "ok")
    assert headers["Server"] == "gunicorn"  # not Django's development server

    # DEBUG is off: an unknown address is a plain 404, not Django's yellow debug page.
    status, body, _ = _get(f"{base}/no-such-page/")
    assert status == 404
    assert b"URLconf" not in body

    context = browser.new_context(viewport=DESKTOP, locale="en-GB")
    context.set_default_timeout(20_000)
    page = context.new_page()
    traffic = Traffic()
    traffic.listen(page)
    try:
        _open(page, traffic, f"{base}/accounts/login/")
        _check_assets(page, traffic, "login")
        page.fill("input[name=email]", EMAIL)
        page.fill("input[name=password]", PASSWORD)
        traffic.clear()
        page.click("button[type=submit]")
        page.wait_for_url(f"{base}/")
        page.wait_for_load_state("networkidle")
        sheets = _check_assets(page, traffic, "dashboard")
        _assert_app_styles(page, "dashboard")
        _screenshots(page, "dashboard")

        _open(page, traffic, f"{base}/scheduling/calendar/")
        page.locator(".fc-timegrid-event, .fc-daygrid-event, .fc-list-event").first.wait_for()
        _check_assets(page, traffic, "calendar")
        _assert_app_styles(page, "calendar")
        _screenshots(page, "calendar")

        _open(page, traffic, f"{base}/api/docs/")
        title = page.locator(".swagger-ui .info .title")
        title.wait_for()  # Swagger UI's script ran and fetched the schema
        _check_assets(page, traffic, "api docs")
        # swagger-ui.css sets the title to 36px; a bare <h2> would be 24px.
        assert title.evaluate("e => getComputedStyle(e).fontSize") == "36px"

        public = browser.new_context(viewport=DESKTOP, locale="en-GB")  # a visitor, signed out
        public.set_default_timeout(20_000)
        visitor = public.new_page()
        traffic.listen(visitor)
        _open(visitor, traffic, f"{base}/book/demo/")
        _check_assets(visitor, traffic, "public booking page")
        _assert_app_styles(visitor, "public booking page")
        _screenshots(visitor, "public-booking")
        public.close()
    finally:
        context.close()

    # A hashed (manifest) file is cached for a year and served compressed by WhiteNoise.
    hashed = next(url for url in sheets if re.search(r"/app\.[0-9a-f]{12}\.css$", url))
    status, _, headers = _get(hashed, {"Accept-Encoding": "gzip"})
    assert status == 200
    cache = headers["Cache-Control"]
    max_age = int(re.search(r"max-age=(\d+)", cache).group(1))
    assert max_age >= ONE_YEAR and "immutable" in cache, cache
    assert headers["Content-Encoding"] == "gzip"
