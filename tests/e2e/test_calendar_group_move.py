"""Dragging a group class on the calendar moves the whole session: the drop asks who moves
(everyone by default, or one attendee alone), and every attendee's booking moves together."""

from __future__ import annotations

from datetime import datetime, time

import pytest

from tests.e2e.test_calendar_moves import LONDON, login, next_week
from tests.e2e.test_first_day import cell, drag
from trainerhub.scheduling import services
from trainerhub.scheduling.models import Booking, BookingEvent
from trainerhub.scheduling.tests.factories import make_client, make_service, open_every_day

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_dragging_a_group_class_moves_every_attendee(page, alice, password):
    open_every_day(alice)
    hiit = make_service(alice, name="HIIT", capacity=8, duration_minutes=60)
    tuesday = next_week(1)
    start = datetime.combine(tuesday, time(18), LONDON)
    bookings = [
        services.booking_create(
            trainer=alice,
            client=make_client(alice, name, last_name="Lee"),
            service=hiit,
            start=start,
        )
        for name in ("Ann", "Ben", "Cy")
    ]
    login(page, alice, password)
    page.goto(f"{page.base}/scheduling/calendar/")
    page.click(".fc-next-button")
    event = page.locator(".fc-timegrid-event", has_text="HIIT · 3/8")
    event.wait_for()
    page.mouse.wheel(0, 300)  # the evening and the morning both in view
    event.scroll_into_view_if_needed()
    drag(page, event, cell(page, tuesday.isoformat(), "12:00"))

    form = page.locator("#panel-body #session-move")
    form.wait_for()
    assert "Move HIIT?" in form.inner_text()
    assert form.locator("input[name=start]").input_value() == f"{tuesday.isoformat()}T12:00"
    assert form.locator("input[name=who][value=all]").is_checked()
    form.locator("button[type=submit]").click()
    page.locator("#calendar-status", has_text="Moved HIIT to").wait_for()

    moved = datetime.combine(tuesday, time(12), LONDON)
    assert [Booking.objects.get(pk=b.pk).start for b in bookings] == [moved] * 3
    assert len({Booking.objects.get(pk=b.pk).session_id for b in bookings}) == 1
    assert BookingEvent.objects.filter(kind="rescheduled").count() == 3
    page.locator(".fc-timegrid-event", has_text="HIIT · 3/8").wait_for()
    assert page.locator(".fc-timegrid-event", has_text="HIIT").count() == 1
