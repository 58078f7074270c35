"""Every main page on demo-like data, at desktop width and at 375 px: saved under
test-artifacts/screenshots/ for a person to look at, and checked for JavaScript errors and
for nothing wider than a phone."""

from __future__ import annotations

import pytest

from tests.e2e import demo
from tests.e2e.conftest import both_sizes
from trainerhub.scheduling.models import Booking, Service

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_main_pages(page):
    trainer = demo.build()
    base = page.base
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=email]", trainer.email)
    page.fill("input[name=password]", demo.PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/")
    booking = Booking.objects.filter(trainer=trainer, status="confirmed").last()
    service = Service.objects.filter(trainer=trainer).first()
    pages = {
        "dashboard": "/",
        "dashboard-month": "/?period=month",
        "calendar": "/scheduling/calendar/",
        "bookings": "/scheduling/bookings/",
        "booking-detail": f"/scheduling/bookings/{booking.pk}/",
        "booking-new": f"/scheduling/bookings/new/?service={service.pk}&start="
        + booking.start.date().isoformat()
        + "T09:00",
        "settings-hours": "/scheduling/settings/hours/",
        "settings-overrides": "/scheduling/settings/overrides/",
        "settings-time-off": "/scheduling/settings/time-off/",
        "settings-services": "/scheduling/settings/services/",
        "settings-service-edit": f"/scheduling/settings/services/{service.pk}/",
    }
    for name, path in pages.items():
        page.goto(base + path)
        assert page.locator("h1").first.is_visible(), name
        both_sizes(page, name, reload=True)

    # The calendar's other views and its session panel.
    page.goto(f"{base}/scheduling/calendar/")
    for view in ("Month", "List"):
        page.click(f".fc-toolbar button:has-text('{view}')")
        page.wait_for_load_state("networkidle")
        page.screenshot(path=str(_shot(f"calendar-{view.lower()}-desktop")), full_page=True)
    page.click(".fc-toolbar button:has-text('Week')")
    page.locator(".fc-timegrid-event").first.click()
    page.locator("#panel-body #booking-panel").wait_for()
    page.screenshot(path=str(_shot("calendar-panel-desktop")))


def _shot(name: str):
    from tests.e2e.conftest import SHOTS

    SHOTS.mkdir(parents=True, exist_ok=True)
    return SHOTS / f"{name}.png"
