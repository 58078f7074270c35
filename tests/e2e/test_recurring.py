"""A recurring booking from the calendar's panel: the live preview lists the dates and names
the one that collides (and why) before anything is booked; keeping the rest books the others."""

from __future__ import annotations

from datetime import datetime, time, timedelta

import pytest

from tests.e2e.test_calendar_moves import LONDON, login, next_week
from trainerhub.scheduling.models import Booking, TimeOff
from trainerhub.scheduling.tests.factories import make_client, make_service, open_every_day

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_weekly_booking_with_a_collision_in_the_preview(page, alice, password):
    open_every_day(alice)
    make_service(alice, name="PT")
    make_client(alice, "Carol", last_name="Clark")
    tuesday = next_week(1)
    third = datetime.combine(tuesday + timedelta(weeks=2), time(10), LONDON)
    TimeOff.objects.create(trainer=alice, start=third, end=third + timedelta(hours=2))
    login(page, alice, password)
    # The calendar's "Book a session" opens this same form (its panel is the form's partial).
    page.goto(f"{page.base}/scheduling/bookings/new/")
    form = page.locator("#booking-form")
    form.wait_for()
    form.locator("#client-search").fill("Carol")
    form.locator("#id_client option", has_text="Carol Clark").wait_for(state="attached")
    form.locator("#id_client").select_option(label="Carol Clark")
    page.wait_for_load_state("networkidle")
    form.locator("#id_service").select_option(label="PT")
    form.locator("#id_start").fill(f"{tuesday.isoformat()}T10:00")
    form.locator("input[name=repeat]").check()
    form.locator("input[name=count]").fill("4")
    form.locator("input[name=count]").dispatch_event("change")

    page.locator("#series-preview", has_text="4 dates, 1 not free").wait_for()
    refused = page.locator(f'.occurrence.is-refused[data-occurrence="{third.date().isoformat()}"]')
    assert "not free: The trainer is away at this time." in refused.inner_text()
    assert page.locator(".occurrence.is-free").count() == 3
    assert Booking.objects.count() == 0

    form.locator("input[name=all_or_nothing][value='0']").check()
    form.locator("button[type=submit]", has_text="Book").click()
    page.locator(".message", has_text="Booked 3 PT sessions with Carol Clark").wait_for()
    assert sorted(b.start for b in Booking.objects.all()) == [
        datetime.combine(tuesday + timedelta(weeks=k), time(10), LONDON) for k in (0, 1, 3)
    ]
