"""A visitor whose browser is in New York books a London trainer on the public page; the
confirmation and the 24-hour reminder, read from a real SMTP server, speak New York time
and name the zone."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import timezone

from trainerhub.notifications.dispatcher import dispatch_due
from trainerhub.notifications.tests.conftest import smtp  # noqa: F401  (a real SMTP server)
from trainerhub.portal.tests.conftest import make_service, open_every_day
from trainerhub.scheduling.models import Booking

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def new_yorker(browser, live_server):
    context = browser.new_context(locale="en-US", timezone_id="America/New_York")
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.base = live_server.url
    yield page
    context.close()


def test_booked_in_new_york_the_emails_speak_new_york_time(new_yorker, smtp, settings, alice):  # noqa: F811
    settings.PORTAL_MIN_FILL_SECONDS = 1
    open_every_day(alice)
    make_service(alice)
    page = new_yorker
    page.goto(f"{page.base}/book/alice/")
    page.wait_for_url("**tz=America%2FNew_York**")
    page.get_by_role("link", name="Choose Personal training").click()
    # Three days ahead (the page's own link, with the zone it detected), so the 24-hour
    # reminder is still to come.
    day = (timezone.now().astimezone(ZoneInfo("America/New_York")) + timedelta(days=3)).date()
    page.goto(f"{page.url}&date={day.isoformat()}")
    page.locator("[data-time]").first.click()
    page.get_by_label("First name").fill("Nina")
    page.get_by_label("Last name").fill("York")
    page.get_by_label("Email").fill("nina@example.com")
    page.wait_for_timeout(1100)
    page.get_by_role("button", name="Review booking").click()
    page.get_by_role("button", name="Confirm booking").click()
    page.get_by_role("heading", name="You're booked!").wait_for()

    booking = Booking.objects.get()
    local = booking.start.astimezone(ZoneInfo("America/New_York"))
    when = f"{local:%A} {local.day} {local:%B %Y}, {local:%H:%M} (America/New_York)"
    dispatch_due()
    with time_machine.travel(booking.start - timedelta(hours=24), tick=False):
        dispatch_due()
    to_nina = [m for m in smtp.messages if m["To"] == "nina@example.com"]
    assert [m["Subject"].split(":")[0] for m in to_nina] == ["Booked", "Reminder"]
    for message in to_nina:
        text = message.get_body(preferencelist=("plain",)).get_content()
        assert f"When:  {when}" in text
        assert "Times are in America/New_York." in text
