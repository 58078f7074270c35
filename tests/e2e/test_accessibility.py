"""axe-core on every main page, trainer's and client's, at desktop width: zero violations.

axe-core comes from npm (package.json's devDependencies, pinned by package-lock.json) and is
injected from node_modules into each page after it has loaded, so nothing of it ships to users.
Both colour schemes are checked: the stylesheet follows the system's light or dark setting.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from tests.e2e import demo
from tests.e2e.conftest import DESKTOP, SHOTS
from trainerhub.clients.models import Client
from trainerhub.portal.claims import claim_token, client_account_claim
from trainerhub.scheduling.models import Booking, Service
from trainerhub.scheduling.tests.factories import make_client, make_service, open_every_day

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
CLIENT_PASSWORD = "client-password-123"
REPORTS = SHOTS.parent / "accessibility"


def axe_violations(page: Any) -> list[dict[str, Any]]:
    if not AXE.exists():
        pytest.fail(f"axe-core is missing at {AXE}: run `npm ci` (or `make test`).")
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        # Evaluated through the browser's debugging protocol, which the page's strict
        # Content-Security-Policy (no inline script) does not govern, as a <script> tag would.
        page.evaluate(AXE.read_text(encoding="utf-8") + "\n;undefined")
    return page.evaluate(
        """async () => {
            const result = await axe.run(document, {resultTypes: ["violations"]});
            return result.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.slice(0, 20).map(
                    n => ({target: n.target, summary: n.failureSummary})),
            }));
        }"""
    )


def check(page: Any, name: str, failures: dict[str, Any]) -> None:
    page.wait_for_load_state("networkidle")
    assert page.locator("h1").first.is_visible(), f"{name}: no visible heading"
    found = axe_violations(page)
    if found:
        failures[name] = found


def report(failures: dict[str, Any], label: str) -> str:
    # The whole answer, every node, for a person fixing it; the message keeps one per rule.
    REPORTS.mkdir(parents=True, exist_ok=True)
    (REPORTS / f"{label}.json").write_text(json.dumps(failures, indent=1))
    lines = ["axe-core violations:"]
    for name, found in failures.items():
        for v in found:
            first = v["nodes"][0]
            lines.append(f"- {name}: {v['id']} ({v['impact']}) {v['help']}")
            lines.append(f"    e.g. {first['target']}: {first['summary']}".replace("\n", " "))
    return "\n".join(lines)


def trainer_pages(trainer: Any) -> dict[str, str]:
    booking = Booking.objects.filter(trainer=trainer, status="confirmed").last()
    waiting = Booking.objects.filter(trainer=trainer, status="pending").first()
    service = Service.objects.filter(trainer=trainer).first()
    client = Client.objects.filter(trainer=trainer).first()
    pages = {
        "dashboard": "/",
        "dashboard-month": "/?period=month",
        "calendar": "/scheduling/calendar/",
        "bookings": "/scheduling/bookings/",
        "bookings-waiting": "/scheduling/bookings/?status=pending",
        "booking-detail": f"/scheduling/bookings/{booking.pk}/",
        "booking-new": f"/scheduling/bookings/new/?service={service.pk}&start="
        + booking.start.date().isoformat()
        + "T09:00",
        "clients": "/clients/",
        "client": f"/clients/{client.pk}/",
        "client-new": "/clients/new/",
        "client-edit": f"/clients/{client.pk}/edit/",
        "client-import": "/clients/import/",
        "client-tags": "/clients/tags/",
        "client-intake-fields": "/clients/intake-fields/",
        "settings-hours": "/scheduling/settings/hours/",
        "settings-overrides": "/scheduling/settings/overrides/",
        "settings-time-off": "/scheduling/settings/time-off/",
        "settings-services": "/scheduling/settings/services/",
        "settings-service-new": "/scheduling/settings/services/new/",
        "settings-service-edit": f"/scheduling/settings/services/{service.pk}/",
        "settings-booking-page": "/portal/settings/",
        "settings-notifications": "/notifications/settings/",
        "settings-profile": "/accounts/profile/",
        "notifications": "/notifications/",
        "notifications-log": "/notifications/log/",
        "email-preview": "/notifications/preview/",
        "not-found": "/scheduling/bookings/999999/",
    }
    if waiting is not None:
        pages["booking-waiting"] = f"/scheduling/bookings/{waiting.pk}/"
    return pages


def login_trainer(page: Any, trainer: Any) -> None:
    page.goto(f"{page.base}/accounts/login/")
    page.fill("input[name=email]", trainer.email)
    page.fill("input[name=password]", demo.PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{page.base}/")


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_trainer_pages_have_no_axe_violations(page, scheme):
    trainer = demo.build()
    page.emulate_media(color_scheme=scheme)
    failures: dict[str, Any] = {}
    page.goto(f"{page.base}/accounts/login/")
    check(page, "login", failures)
    login_trainer(page, trainer)
    for name, path in trainer_pages(trainer).items():
        page.goto(page.base + path)
        check(page, name, failures)

    # The calendar's other views and its session panel.
    page.goto(f"{page.base}/scheduling/calendar/")
    page.locator(".fc-timegrid-event").first.wait_for()
    for view in ("Month", "List"):
        page.click(f".fc-toolbar button:has-text('{view}')")
        check(page, f"calendar-{view.lower()}", failures)
    page.click(".fc-toolbar button:has-text('Week')")
    page.locator(".fc-timegrid-event").first.click()
    page.locator("#panel-body #booking-panel").wait_for()
    check(page, "calendar-panel", failures)
    assert not failures, report(failures, f"trainer-{scheme}")


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_client_pages_have_no_axe_violations(browser, live_server, scheme):
    trainer = demo.build()
    booking = Booking.objects.filter(
        trainer=trainer, status="confirmed", start__gt=timezone.now()
    ).first()
    service = Service.objects.filter(trainer=trainer, capacity=1, bookable_online=True).first()
    client_account_claim(token=claim_token(booking.client), password=CLIENT_PASSWORD)
    context = browser.new_context(viewport=DESKTOP, locale="en-GB", color_scheme=scheme)
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.base = live_server.url
    failures: dict[str, Any] = {}
    try:
        page.goto(f"{page.base}/book/{trainer.slug}/")
        check(page, "book", failures)
        page.goto(f"{page.base}/book/{trainer.slug}/?service={service.pk}")
        page.locator("[data-time]").first.wait_for()
        check(page, "book-picker", failures)
        page.locator("[data-time]").first.click()
        page.locator("input[name=first_name]").wait_for()
        check(page, "book-details", failures)
        page.goto(f"{page.base}/manage/{booking.manage_token}/")
        check(page, "manage", failures)
        page.goto(f"{page.base}/manage/{booking.manage_token}/cancel/")
        check(page, "manage-cancel", failures)
        page.goto(f"{page.base}/book/no-such-trainer/")
        check(page, "book-not-found", failures)
        page.goto(f"{page.base}/my/login/")
        check(page, "my-login", failures)
        page.fill("input[name=email]", booking.client.email)
        page.fill("input[name=password]", CLIENT_PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_url(f"{page.base}/my/")
        check(page, "my", failures)
        page.goto(f"{page.base}/my/bookings/{booking.pk}/")
        check(page, "my-booking", failures)
    finally:
        context.close()
    assert not failures, report(failures, f"client-{scheme}")


def test_keyboard_books_a_free_time_and_lands_on_the_first_error(page, alice, password):
    open_every_day(alice)
    make_service(alice)
    make_client(alice, "Carol", last_name="Clark")
    page.goto(f"{page.base}/accounts/login/")
    page.fill("input[name=email]", alice.email)
    page.fill("input[name=password]", password)
    page.keyboard.press("Enter")
    page.wait_for_url(f"{page.base}/")
    page.goto(f"{page.base}/scheduling/calendar/")
    page.locator(".fc-next-button").press("Enter")
    # Each day's header has a "Book" button: a free time is reachable without a mouse.
    day = page.locator("th.fc-col-header-cell").nth(2)
    date = day.get_attribute("data-date")
    button = day.locator("button.day-book")
    assert button.get_attribute("aria-label").startswith("Book a session on Wednesday")
    button.focus()
    page.keyboard.press("Enter")
    form = page.locator("#panel-body #booking-form")
    form.wait_for()
    form.locator("#id_service").select_option(label="Personal training")
    slot = form.locator(".slot").first
    slot.wait_for()
    slot.focus()
    page.keyboard.press("Enter")
    assert form.locator("#id_start").input_value() == f"{date}T07:00"
    # Sent without a client: the focus goes to the client field, which names its error.
    form.locator("button[type=submit]").focus()
    page.keyboard.press("Enter")
    page.locator("#panel-body #id_client_error").wait_for()
    # The focus moves once htmx has settled the swapped form, a moment after the error shows.
    # A locator wait, not wait_for_function: the strict CSP refuses the eval it polls with.
    page.locator("#id_client:focus").wait_for()
    assert page.evaluate("document.activeElement.id") == "id_client"
    described = page.locator("#id_client").get_attribute("aria-describedby")
    assert "id_client_error" in described.split()
