"""Dragging a session on the calendar: a move inside the hours off the service's start grid
is taken (the trainer moves by hand), and a refused move names the real rule."""

from __future__ import annotations

from datetime import datetime, time, timedelta

import pytest

from tests.e2e.test_first_day import cell, drag
from trainerhub.core.timezones import zone
from trainerhub.scheduling import services
from trainerhub.scheduling.models import Booking
from trainerhub.scheduling.tests.factories import make_client, make_service, open_every_day

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
LONDON = zone("Europe/London")


def login(page, user, password):
    page.goto(f"{page.base}/accounts/login/")
    page.fill("input[name=email]", user.email)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    page.wait_for_url(f"{page.base}/")


def next_week(day_offset: int):
    today = datetime.now(LONDON).date()
    return today - timedelta(days=today.weekday()) + timedelta(days=7 + day_offset)


def test_a_refused_move_names_the_rule(page, alice, password):
    open_every_day(alice, "08:00", "20:00")
    pt = make_service(alice)
    carol = make_client(alice, "Carol", last_name="Clark")
    wednesday = next_week(2)
    booking = services.booking_create(
        trainer=alice, client=carol, service=pt, start=datetime.combine(wednesday, time(10), LONDON)
    )
    login(page, alice, password)
    page.goto(f"{page.base}/scheduling/calendar/")
    page.click(".fc-next-button")
    event = page.locator(".fc-timegrid-event", has_text="Carol Clark")
    event.wait_for()
    drag(page, event, cell(page, wednesday.isoformat(), "07:00"))
    status = page.locator("#calendar-status", has_text="Not moved")
    status.wait_for()
    assert "outside the working hours" in status.inner_text()
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CONFIRMED
    assert booking.start == datetime.combine(wednesday, time(10), LONDON)


def test_a_move_off_the_grid_inside_the_hours_is_taken(page, alice, password):
    # 60-minute sessions: clients are offered 07:00, 08:00, ...; the trainer booked 09:30 by
    # hand, and the drag (snapping to the service's hour) takes it to 11:30, off the grid too.
    open_every_day(alice)
    pt = make_service(alice)
    carol = make_client(alice, "Carol", last_name="Clark")
    tuesday = next_week(1)
    booking = services.booking_create(
        trainer=alice,
        client=carol,
        service=pt,
        start=datetime.combine(tuesday, time(9, 30), LONDON),
    )
    login(page, alice, password)
    page.goto(f"{page.base}/scheduling/calendar/")
    page.click(".fc-next-button")
    event = page.locator(".fc-timegrid-event", has_text="Carol Clark")
    event.wait_for()
    drag(page, event, cell(page, tuesday.isoformat(), "11:30"))
    page.locator("#calendar-status", has_text="Moved").wait_for()
    booking.refresh_from_db()
    local = booking.start.astimezone(LONDON)
    assert (local.date(), local.hour, local.minute) == (tuesday, 11, 30)


def test_a_group_class_is_one_event_with_its_attendees_in_the_panel(page, alice, password):
    from tests.e2e.test_accessibility import axe_violations

    open_every_day(alice)
    hiit = make_service(alice, name="HIIT", capacity=8, duration_minutes=45)
    tuesday = next_week(1)
    start = datetime.combine(tuesday, time(18), LONDON)
    for name in ("Ann", "Ben", "Cy"):
        services.booking_create(
            trainer=alice,
            client=make_client(alice, name, last_name="Lee"),
            service=hiit,
            start=start,
        )
    login(page, alice, password)
    page.goto(f"{page.base}/scheduling/calendar/")
    page.click(".fc-next-button")
    events = page.locator(".fc-timegrid-event", has_text="HIIT")
    events.first.wait_for()
    assert events.count() == 1 and "HIIT · 3/8" in events.first.inner_text()
    events.first.click()
    panel = page.locator("#panel-body #session-panel")
    panel.wait_for()
    assert [a.inner_text() for a in panel.locator(".attendees a").all()] == [
        "Ann Lee",
        "Ben Lee",
        "Cy Lee",
    ]
    assert axe_violations(page) == []
    panel.locator(".attendees a", has_text="Ben Lee").click()
    page.locator("#panel-body #booking-panel", has_text="Ben Lee").wait_for()
