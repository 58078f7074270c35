"""A newcomer's first day, in a real browser: register, set weekly hours, add a service and
a client, book a session by clicking the calendar, drag it to another day (and see a refused
move snap back), cancel it with a reason, and watch the dashboard's figures change."""

from __future__ import annotations

import re
from datetime import datetime, time, timedelta
from typing import Any

import pytest

from tests.e2e.conftest import both_sizes, screenshot
from trainerhub.accounts.models import User
from trainerhub.core.timezones import zone
from trainerhub.scheduling.models import Booking

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
LONDON = zone("Europe/London")
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


def cell(page: Any, day: str, hhmm: str) -> tuple[float, float]:
    """The centre of a time slot of the week view, for a real mouse click or drop."""
    col = page.locator(f'td.fc-timegrid-col[data-date="{day}"]').bounding_box()
    row = page.locator(f'td.fc-timegrid-slot-lane[data-time="{hhmm}:00"]').bounding_box()
    return col["x"] + col["width"] / 2, row["y"] + row["height"] / 2


def drag(page: Any, source: Any, to: tuple[float, float]) -> None:
    box = source.bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + 8)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] / 2 + 5, box["y"] + 12, steps=3)
    page.mouse.move(to[0], to[1] - box["height"] / 2 + 8, steps=20)
    page.mouse.up()


def figures(page: Any, base: str, first: str, last: str) -> dict[str, str]:
    page.goto(f"{base}/?period=custom&from={first}&to={last}")
    return {
        key: page.locator(f'[data-stat="{key}"]').inner_text().strip()
        for key in ("total", "upcoming", "cancelled", "new_clients")
    }


def test_first_day(page):
    base = page.base
    # 1. Register.
    page.goto(f"{base}/accounts/register/")
    page.fill("input[name=name]", "Nina Newcomer")
    page.fill("input[name=email]", "nina@example.com")
    page.fill("input[name=password]", "a-long-enough-passphrase")
    page.select_option("select[name=timezone]", "Europe/London")
    page.click("button:has-text('Create account')")
    page.wait_for_url(f"{base}/")
    assert "Welcome to TrainerHub" in page.content()
    screenshot(page, "first-day-1-dashboard-empty")

    # 2. Weekly hours: 08:00-20:00 every day, added with htmx without leaving the page.
    page.goto(f"{base}/scheduling/settings/hours/")
    for weekday, name in enumerate(DAYS):
        page.fill(f"#start-{weekday}", "08:00")
        page.fill(f"#end-{weekday}", "20:00")
        page.click(f'button[aria-label="Add hours on {name}"]')
        page.locator(f"#day-{weekday} .interval").wait_for()
    assert page.locator(".interval").count() == 7
    # A wrong interval is refused next to its field.
    page.fill("#start-0", "12:00")
    page.fill("#end-0", "09:00")
    page.click('button[aria-label="Add hours on Monday"]')
    page.locator("#day-0 .error").wait_for()
    assert "The end must be after the start." in page.locator("#day-0").inner_text()
    screenshot(page, "first-day-2-hours")

    # 3. A service.
    page.goto(f"{base}/scheduling/settings/services/new/")
    page.fill("#id_name", "Personal training")
    page.fill("#id_duration_minutes", "60")
    page.fill("#id_price", "50")
    page.fill("#id_min_notice_minutes", "0")
    page.click("button:has-text('Add service')")
    page.wait_for_url(f"{base}/scheduling/settings/services/")
    assert "Service “Personal training” added." in page.content()

    # 4. A client.
    page.goto(f"{base}/clients/new/")
    page.fill("#id_first_name", "Carol")
    page.fill("#id_last_name", "Client")
    page.fill("#id_email", "carol@example.com")
    page.click("button:has-text('Add client')")
    page.wait_for_url(re.compile(r".*/clients/\d+/$"))

    # 5. Book by clicking a free time of next week's Tuesday at 10:00 on the calendar.
    trainer = User.objects.get(email="nina@example.com")
    today = datetime.now(LONDON).date()
    monday = today - timedelta(days=today.weekday()) + timedelta(days=7)
    tuesday, wednesday, thursday = (monday + timedelta(days=n) for n in (1, 2, 3))
    page.goto(f"{base}/scheduling/calendar/")
    assert "Europe/London" in page.locator(".tz-note").inner_text()
    page.click(".fc-next-button")
    page.locator(f'td.fc-timegrid-col[data-date="{tuesday}"]').wait_for()
    page.mouse.click(*cell(page, tuesday.isoformat(), "10:00"))
    form = page.locator("#panel-body #booking-form")
    form.wait_for()
    assert form.locator("#id_start").input_value() == f"{tuesday}T10:00"
    form.locator("#id_client").select_option(index=1)
    form.locator("#id_service").select_option(index=1)
    form.locator(".slot").first.wait_for()  # the service's free starts of that day
    # A time the rules refuse (after hours) is answered next to the field, in the panel.
    form.locator("#id_start").fill(f"{tuesday}T21:00")
    form.locator("button:has-text('Book')").click()
    page.locator("#panel-body #start-error").wait_for()
    form = page.locator("#panel-body #booking-form")
    form.locator("#id_start").fill(f"{tuesday}T10:00")
    screenshot(page, "first-day-3-booking-form")
    form.locator("button:has-text('Book')").click()
    page.locator("#calendar-status", has_text="Booked Personal training").wait_for()
    event = page.locator(".fc-timegrid-event", has_text="Carol Client")
    event.wait_for()
    booking = Booking.objects.get(trainer=trainer)
    assert booking.start == datetime.combine(tuesday, time(10), LONDON)

    # 6. Drag it to Wednesday 10:00.
    drag(page, event, cell(page, wednesday.isoformat(), "10:00"))
    page.locator("#calendar-status", has_text="Moved").wait_for()
    booking.refresh_from_db()
    assert booking.start == datetime.combine(wednesday, time(10), LONDON)
    # A move the rules refuse (before the 08:00 opening) snaps back with the reason.
    page.wait_for_load_state("networkidle")  # the refetch after the move
    page.wait_for_timeout(500)
    event = page.locator(".fc-timegrid-event", has_text="Carol Client")
    event.wait_for()
    drag(page, event, cell(page, thursday.isoformat(), "07:00"))
    page.locator("#calendar-status", has_text="Not moved").wait_for()
    booking.refresh_from_db()
    assert booking.start == datetime.combine(wednesday, time(10), LONDON)
    event = page.locator(".fc-timegrid-event", has_text="Carol Client")
    wed_col = page.locator(f'td.fc-timegrid-col[data-date="{wednesday}"]').bounding_box()
    box = event.bounding_box()
    assert wed_col["x"] <= box["x"] <= wed_col["x"] + wed_col["width"]
    screenshot(page, "first-day-4-calendar")

    # The dashboard before cancelling.
    first, last = today.isoformat(), (today + timedelta(days=21)).isoformat()
    before = figures(page, base, first, last)
    assert before == {"total": "1", "upcoming": "1", "cancelled": "0", "new_clients": "1"}

    # 7. Cancel it with a reason from the session's panel.
    page.goto(f"{base}/scheduling/calendar/")
    page.click(".fc-next-button")
    page.locator(".fc-timegrid-event", has_text="Carol Client").click()
    panel = page.locator("#panel-body #booking-panel")
    panel.wait_for()
    panel.locator("summary:has-text('Cancel the booking')").click()
    panel.locator("textarea[name=reason]").fill("Carol is ill")
    page.once("dialog", lambda dialog: dialog.accept())
    panel.locator("button:has-text('Cancel booking')").click()
    page.locator("#panel-body", has_text="Booking cancelled.").wait_for()
    assert "“Carol is ill”" in page.locator("#panel-body").inner_text()
    screenshot(page, "first-day-5-cancelled")
    page.locator("#panel-dialog [data-close-dialog]").first.click()
    page.locator(".fc-timegrid-event", has_text="Carol Client").wait_for(state="detached")
    booking.refresh_from_db()
    assert (booking.status, booking.cancellation_reason) == ("cancelled", "Carol is ill")

    # 8. The dashboard's figures changed.
    after = figures(page, base, first, last)
    assert after == {"total": "1", "upcoming": "0", "cancelled": "1", "new_clients": "1"}
    assert "Cancelled: Personal training with Carol Client" in page.content()
    both_sizes(page, "first-day-6-dashboard", reload=True)
