"""The Content-Security-Policy as a browser enforces it: every main page of the trainer app,
the client portal, the public booking page (plain and embedded) and the API docs load with no
violation reported in the console, and still run their scripts and styles."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import NoReverseMatch, reverse

from tests.e2e import demo
from trainerhub.clients.models import Client
from trainerhub.scheduling.models import Booking

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Pages other apps add as they land: checked when their URL exists.
OPTIONAL_PAGES = (
    "packages:home",
    "billing:home",
    "contracts:home",
    "coaching:home",
    "insights:home",
)


def _watch(page: Any) -> list[str]:
    """Every CSP report the page makes: the console's "Refused to ..." lines and the
    securitypolicyviolation events (which also catch violations inside frames)."""
    found: list[str] = []

    def on_console(message: Any) -> None:
        text = message.text
        if "Content Security Policy" in text or "Content-Security-Policy" in text:
            found.append(text)

    page.on("console", on_console)
    page.add_init_script(
        """document.addEventListener("securitypolicyviolation", (e) => {
            console.error("Content Security Policy violation: " + e.violatedDirective
                          + " " + (e.blockedURI || "inline") + " at " + e.sourceFile
                          + ":" + e.lineNumber);
        });"""
    )
    return found


def _visit(page: Any, path: str, seen: dict[str, list[str]], found: list[str]) -> None:
    before = len(found)
    response = page.goto(f"{page.base}{path}")
    status = response.status if response is not None else None
    assert status == 200, f"{path}: {status}"
    # htmx's "load"-triggered fragments arrive just after the page's own load.
    page.wait_for_timeout(150)
    assert "script-src 'self'" in (response.headers.get("content-security-policy") or ""), path
    if len(found) > before:
        seen[path] = found[before:]


def _optional(names: tuple[str, ...]) -> list[str]:
    paths = []
    for name in names:
        try:
            paths.append(reverse(name))
        except NoReverseMatch:
            continue
    return paths


def test_main_pages_report_no_csp_violation(page: Any) -> None:
    found = _watch(page)
    trainer = demo.build()
    client = Client.objects.filter(trainer=trainer).order_by("pk").first()
    booking = Booking.objects.filter(trainer=trainer).order_by("pk").first()
    assert client is not None and booking is not None
    seen: dict[str, list[str]] = {}

    # Signed out: the sign-in page, the public booking page and the API's docs.
    for path in ("/accounts/login/", f"/book/{trainer.slug}/", f"/book/{trainer.slug}/?embed=1"):
        _visit(page, path, seen, found)
    _visit(page, "/api/docs/", seen, found)
    page.wait_for_selector(".swagger-ui .opblock", timeout=15_000)  # Swagger UI ran

    page.goto(f"{page.base}/accounts/login/")
    page.fill("input[name=email]", trainer.email)
    page.fill("input[name=password]", demo.PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{page.base}/")
    trainer_pages = [
        "/",
        "/scheduling/calendar/",
        "/scheduling/bookings/",
        f"/scheduling/bookings/{booking.pk}/",
        "/scheduling/bookings/new/",
        "/scheduling/settings/services/",
        "/scheduling/settings/hours/",
        "/clients/",
        f"/clients/{client.pk}/",
        "/clients/tags/",
        "/clients/import/",
        "/notifications/",
        "/notifications/preview/",
        "/calendars/",
        "/portal/settings/",
        "/portal/settings/brand/",
        *_optional(OPTIONAL_PAGES),
    ]
    for path in trainer_pages:
        _visit(page, path, seen, found)
        if path == "/scheduling/calendar/":
            page.wait_for_selector(".fc-event", timeout=15_000)  # FullCalendar ran and styled
    # A service's colour reaches its swatch from data-swatch (no style="" attribute).
    page.goto(f"{page.base}/scheduling/settings/services/")
    painted = page.locator(".swatch[data-swatch]").first.evaluate(
        "el => el.style.getPropertyValue('--swatch')"
    )
    assert painted.strip().startswith("#")
    assert seen == {}, f"CSP violations: {seen}"
    assert page.js_errors == []  # type: ignore[attr-defined]
