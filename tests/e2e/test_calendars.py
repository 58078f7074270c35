"""Issue 17 in a real browser: the trainer connects the secret iCal address of a calendar
(served by the test on 127.0.0.1) on "Your calendars"; its busy time disappears from the
public booking page at once, and a busy time added later disappears once the worker's round
has read the calendar again."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, timedelta
from typing import Any

import pytest
from django.utils import timezone

from tests.e2e.conftest import DESKTOP, both_sizes
from trainerhub.calendars.models import CalendarSubscription
from trainerhub.calendars.tests import caldav_server
from trainerhub.calendars.tests.ics_builder import ics
from trainerhub.calendars.tests.server import CalendarHost, Route, serving
from trainerhub.core.tests.factories import local_at
from trainerhub.notifications.worker import tick
from trainerhub.portal.tests.conftest import make_service, open_every_day

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SECRET = "/calendar/ical/alice/private-0a1b2c3d4e5f/basic.ics"
DAYS_AHEAD = 3


@pytest.fixture
def calendar_app(settings) -> Iterator[CalendarHost]:
    """The trainer's calendar app, publishing her calendar at a secret address."""
    settings.CALENDAR_ALLOW_PRIVATE = True
    with serving() as host:
        yield host


@pytest.fixture
def visitor(browser: Any, live_server: Any) -> Iterator[Any]:
    context = browser.new_context(viewport=DESKTOP, locale="en-GB", timezone_id="Europe/London")
    context.set_default_timeout(15_000)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.base = live_server.url  # type: ignore[attr-defined]
    yield page
    context.close()
    assert not errors, f"JavaScript errors on the page: {errors}"


def offered_times(visitor: Any, alice: Any) -> list[str]:
    """The times the public page offers on the chosen day (its own link, with its zone)."""
    visitor.goto(f"{visitor.base}/book/alice/")
    visitor.wait_for_url("**tz=Europe%2FLondon**")
    visitor.get_by_role("link", name="Choose Personal training").click()
    visitor.wait_for_url("**service=**")
    day = local_at(alice, DAYS_AHEAD, "00:00").date().isoformat()
    visitor.goto(f"{visitor.url}&date={day}")
    visitor.locator("[data-time]").first.wait_for()
    return [t.get_attribute("data-time") for t in visitor.locator("[data-time]").all()]


def open_calendars_page(page: Any, trainer: Any, password: str) -> None:
    page.goto(f"{page.base}/accounts/login/")
    page.fill("input[name=email]", trainer.email)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    page.wait_for_url(f"{page.base}/")
    page.goto(f"{page.base}/calendars/")


def test_a_connected_calendar_takes_its_busy_times_off_the_booking_page(
    page, visitor, alice, password, calendar_app
):
    open_every_day(alice)
    make_service(alice)
    dentist = (local_at(alice, DAYS_AHEAD, "10:00"), local_at(alice, DAYS_AHEAD, "11:00"))
    physio = (local_at(alice, DAYS_AHEAD, "14:00"), local_at(alice, DAYS_AHEAD, "15:00"))
    calendar_app.routes[SECRET] = Route(body=ics(dentist), etag='"1"')

    before = offered_times(visitor, alice)
    assert "10:00" in before and "14:00" in before

    # The trainer connects the calendar on the settings page; it is read at once.
    open_calendars_page(page, alice, password)
    form = page.locator("form", has=page.get_by_role("button", name="Connect calendar"))
    form.get_by_label("Name").fill("Family")
    form.get_by_label("Secret address (iCal)").fill(calendar_app.url(SECRET))
    form.get_by_role("button", name="Connect calendar").click()
    page.get_by_text("Connected Family: its busy times now block bookings.").wait_for()
    source = page.locator(".calendar-source", has_text="Family")
    assert "1 busy time ahead" in source.inner_text()
    assert "private-0a1b2c3d4e5f" not in page.content()  # the secret is shown masked
    both_sizes(page, "calendars-connected", reload=True)
    page.get_by_text("Or connect a CalDAV calendar").click()
    both_sizes(page, "calendars-caldav-form")

    after = offered_times(visitor, alice)
    assert "10:00" not in after and "09:00" in after and "11:00" in after
    assert "14:00" in after

    # A new appointment in the calendar app: the worker's next round reads it.
    calendar_app.routes[SECRET] = Route(body=ics(dentist, physio), etag='"2"')
    tick(now=timezone.now() + timedelta(minutes=11))
    row = CalendarSubscription.objects.get()
    assert row.busy_count == 2 and row.last_error == ""
    later = offered_times(visitor, alice)
    assert "10:00" not in later and "14:00" not in later
    assert len(later) == len(before) - 2
    page.reload()
    assert "2 busy times ahead" in source.inner_text()


def test_a_caldav_calendar_connects_through_the_folded_form(
    page, visitor, alice, password, settings, tmp_path
):
    settings.CALENDAR_ALLOW_PRIVATE = True
    open_every_day(alice)
    make_service(alice)
    start = local_at(alice, DAYS_AHEAD, "10:00").astimezone(UTC)
    event = "\r\n".join(
        [
            "BEGIN:VCALENDAR",
            "VERSION:2.0",
            "PRODID:-//Tests//EN",
            "BEGIN:VEVENT",
            "UID:dentist@example.com",
            "DTSTAMP:20260101T000000Z",
            f"DTSTART:{start:%Y%m%dT%H%M%SZ}",
            f"DTEND:{start + timedelta(hours=1):%Y%m%dT%H%M%SZ}",
            "END:VEVENT",
            "END:VCALENDAR",
        ]
    )
    with caldav_server.running(tmp_path) as dav:
        url = dav.make_calendar("family", event)
        open_calendars_page(page, alice, password)
        page.get_by_text("Or connect a CalDAV calendar").click()
        form = page.locator("form", has=page.get_by_role("button", name="Connect CalDAV calendar"))
        form.get_by_label(re.compile(r"^Name")).fill("Family")
        form.get_by_label("Calendar address (CalDAV)").fill(url)
        form.get_by_label("User name").fill(caldav_server.USER)
        form.get_by_label("App password").fill("wrong-password")
        form.get_by_role("button", name="Connect CalDAV calendar").click()
        # Added, but the server refused the password: said at once, next to the calendar.
        source = page.locator(".calendar-source", has_text="Family")
        source.get_by_role("alert").wait_for()
        assert "refused the user name or app password" in source.inner_text()
        assert "CalDAV · alice" in source.inner_text()

        source.get_by_role("link", name="Edit").click()
        page.get_by_label("App password").fill(caldav_server.PASSWORD)
        page.get_by_role("button", name="Save").click()
        page.get_by_text("Saved Family.").wait_for()
        source.get_by_role("button", name="Read now").click()
        page.get_by_text("Read Family again: 1 busy time ahead.").wait_for()
        assert caldav_server.PASSWORD not in page.content()
        assert "10:00" not in offered_times(visitor, alice)
