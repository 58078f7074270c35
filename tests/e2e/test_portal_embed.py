"""The booking page on a trainer's own website, in real Chromium: the host page lives on
another site (127.0.0.1:87xx, while the app is on localhost), so the browser treats the
frame as third-party: no cookies of ours, framing rules enforced."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from tests.e2e.conftest import DESKTOP
from trainerhub.portal.tests.conftest import make_service, open_every_day
from trainerhub.scheduling.models import Booking

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
HOST_PORTS = range(8710, 8730)


class HostSite:
    """A trainer's website: one page per path, served from memory."""

    def __init__(self) -> None:
        self.pages: dict[str, str] = {}
        site = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def do_GET(self) -> None:
                body = site.pages.get(self.path, "").encode()
                self.send_response(200 if body else 404)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        for port in HOST_PORTS:
            try:
                self.server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
                break
            except OSError:
                continue
        else:
            raise RuntimeError("no free port for the host site in 8710-8729")
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def host_site() -> Iterator[HostSite]:
    site = HostSite()
    yield site
    site.stop()


@pytest.fixture
def visitor(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport=DESKTOP, locale="en-GB", timezone_id="Europe/London")
    context.set_default_timeout(15_000)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    yield page
    context.close()
    assert not errors, f"JavaScript errors on the page: {errors}"


def page_html(body: str) -> str:
    head = '<!doctype html><html lang="en"><head><title>Alice coaches</title></head>'
    return f"{head}<body>{body}</body></html>"


def book_inside(frame: Any) -> None:
    frame.get_by_role("link", name="Choose Personal training").click()
    frame.locator("[data-time]").first.click()
    frame.get_by_label("First name").fill("Erin")
    frame.get_by_label("Last name").fill("Embed")
    frame.get_by_label("Email").fill("erin@example.com")
    frame.locator("body").evaluate("() => new Promise(r => setTimeout(r, 1100))")
    frame.get_by_role("button", name="Review booking").click()
    frame.get_by_role("button", name="Confirm booking").click()
    frame.get_by_role("heading", name="You're booked!").wait_for()


def test_the_overlay_books_on_the_trainers_own_site(
    visitor, host_site, live_server, settings, alice
):
    settings.PORTAL_MIN_FILL_SECONDS = 1
    open_every_day(alice)
    make_service(alice)
    host_site.pages["/"] = page_html(
        f'<h1>Alice coaches</h1><a href="{live_server.url}/book/alice/" data-trainerhub-book>'
        f'Book with Alice</a><script src="{live_server.url}/static/js/embed.js" async></script>'
    )
    visitor.goto(host_site.url + "/")
    visitor.get_by_role("link", name="Book with Alice").click()
    dialog = visitor.locator("dialog.trainerhub-overlay")
    dialog.wait_for()
    frame = visitor.frame_locator("dialog.trainerhub-overlay iframe")
    book_inside(frame)
    assert Booking.objects.get().client.email == "erin@example.com"

    visitor.keyboard.press("Escape")
    dialog.wait_for(state="detached")
    assert visitor.evaluate("document.activeElement.textContent") == "Book with Alice"


def test_the_iframe_code_works_and_other_pages_refuse_to_be_framed(
    visitor, host_site, live_server, settings, alice
):
    settings.PORTAL_MIN_FILL_SECONDS = 1
    open_every_day(alice)
    make_service(alice)
    host_site.pages["/"] = page_html(
        f'<iframe id="booking" src="{live_server.url}/book/alice/?embed=1" title="Book" '
        'style="width:100%;height:900px;border:0"></iframe>'
    )
    host_site.pages["/sneaky"] = page_html(
        f'<iframe id="plain" src="{live_server.url}/book/alice/" title="a"></iframe>'
        f'<iframe id="app" src="{live_server.url}/accounts/login/" title="b"></iframe>'
    )
    visitor.goto(host_site.url + "/")
    book_inside(visitor.frame_locator("#booking"))
    assert Booking.objects.count() == 1

    refused: list[str] = []
    visitor.on("console", lambda m: refused.append(m.text) if "Refused" in m.text else None)
    visitor.goto(host_site.url + "/sneaky")
    visitor.wait_for_load_state("networkidle")
    children = [f.url for f in visitor.frames if f != visitor.main_frame]
    # A refused frame is left on the browser's error page, never on ours.
    assert children == ["chrome-error://chromewebdata/"] * 2
    # Chromium names the rule that refused (CSP's frame-ancestors, now that the pages carry
    # one, or X-Frame-Options) in the console when it reports it at all.
    assert all("frame-ancestors" in m or "X-Frame-Options" in m for m in refused), refused


def test_copy_buttons_copy_the_link_and_the_codes(browser, live_server, alice, password):
    context = browser.new_context(viewport=DESKTOP, locale="en-GB")
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}/accounts/login/")
        page.fill("input[name=email]", alice.email)
        page.fill("input[name=password]", password)
        page.click("button[type=submit]")
        page.wait_for_url(f"{live_server.url}/")
        page.goto(f"{live_server.url}/portal/settings/")
        page.get_by_role("button", name="Copy link").click()
        page.get_by_text("Copied.").first.wait_for()
        assert page.evaluate("navigator.clipboard.readText()") == f"{live_server.url}/book/alice/"
        page.get_by_role("button", name="Copy button code").click()
        copied = page.evaluate("navigator.clipboard.readText()")
        assert copied == page.locator("#embed-script").input_value()
        assert "data-trainerhub-book" in copied and "/static/js/embed.js" in copied
    finally:
        context.close()
