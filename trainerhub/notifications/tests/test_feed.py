"""Calendar feeds parsed back with icalendar: cancelled, rescheduled and recurring bookings."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone
from icalendar import Calendar

from trainerhub.notifications.services import (
    calendar_feed_regenerate,
    calendar_feed_revoke,
    client_feed_url,
)
from trainerhub.notifications.tests.conftest import make_client
from trainerhub.scheduling.services import (
    booking_cancel,
    booking_create,
    booking_reschedule,
    series_create,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def bookings(alice, carol, pt, in_three_days):
    one = booking_create(
        trainer=alice, client=carol, service=pt, start=in_three_days, override_rules=True
    )
    moved = booking_create(
        trainer=alice,
        client=carol,
        service=pt,
        start=in_three_days + timedelta(hours=3),
        override_rules=True,
    )
    booking_reschedule(
        booking=moved, start=in_three_days + timedelta(days=1), actor="trainer", override_rules=True
    )
    booking_cancel(booking=one, actor="client", reason="Work trip")
    dan = make_client(alice, first_name="Dan", email="dan@example.com")
    _, series, refused = series_create(
        trainer=alice,
        client=dan,
        service=pt,
        start=in_three_days + timedelta(hours=6),
        every_weeks=1,
        count=3,
        all_or_nothing=True,
        source="trainer",
        override_rules=True,
    )
    assert refused == []
    return {"cancelled": one, "moved": moved, "series": series}


def fetch(client, url: str) -> Calendar:
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return Calendar.from_ical(response.content)


def test_trainer_feed(client, settings, alice, bookings):
    settings.SITE_URL = "https://hub.example.com"
    feed = calendar_feed_regenerate(trainer=alice)
    cal = fetch(client, f"/calendar/{feed.token}.ics")

    events = {str(e["UID"]): e for e in cal.walk("VEVENT")}
    assert len(events) == 5
    cancelled = events[f"booking-{bookings['cancelled'].pk}@hub.example.com"]
    assert cancelled["STATUS"] == "CANCELLED"
    assert cancelled["SEQUENCE"] == 1
    moved = events[f"booking-{bookings['moved'].pk}@hub.example.com"]
    assert moved["SEQUENCE"] == 1 and moved["STATUS"] == "CONFIRMED"
    assert moved.decoded("DTSTART") == bookings["moved"].start
    assert moved["DTSTART"].params["TZID"] == "Europe/London"
    series_starts = sorted(
        events[f"booking-{b.pk}@hub.example.com"].decoded("DTSTART") for b in bookings["series"]
    )
    assert series_starts[1] - series_starts[0] == timedelta(weeks=1)
    assert "Dan" in str(events[f"booking-{bookings['series'][0].pk}@hub.example.com"]["SUMMARY"])
    (vtimezone,) = cal.walk("VTIMEZONE")
    assert vtimezone["TZID"] == "Europe/London"
    assert cal["VERSION"] == "2.0" and "PRODID" in cal
    # Stable UIDs: the same feed again gives the same UIDs.
    again = fetch(client, f"/calendar/{feed.token}.ics")
    assert {str(e["UID"]) for e in again.walk("VEVENT")} == set(events)


def test_cancelled_bookings_leave_the_feed_after_30_days(client, alice, bookings):
    feed = calendar_feed_regenerate(trainer=alice)
    with time_machine.travel(timezone.now() + timedelta(days=31)):
        cal = fetch(client, f"/calendar/{feed.token}.ics")
    statuses = [str(e["STATUS"]) for e in cal.walk("VEVENT")]
    assert "CANCELLED" not in statuses and len(statuses) == 4


def test_regenerated_or_revoked_feed_is_404(client, alice, bookings):
    old = calendar_feed_regenerate(trainer=alice)
    new = calendar_feed_regenerate(trainer=alice)
    assert client.get(f"/calendar/{old.token}.ics").status_code == 404
    assert client.get(f"/calendar/{new.token}.ics").status_code == 200
    calendar_feed_revoke(trainer=alice)
    assert client.get(f"/calendar/{new.token}.ics").status_code == 404
    assert client.get("/calendar/guess.ics").status_code == 404


def test_client_feed_has_only_their_own_sessions(client, settings, alice, carol, bookings):
    settings.SITE_URL = "https://hub.example.com"
    url = client_feed_url(client=carol)
    assert client_feed_url(client=carol) == url  # stable
    cal = fetch(client, url.removeprefix("https://hub.example.com"))
    uids = {str(e["UID"]) for e in cal.walk("VEVENT")}
    assert uids == {
        f"booking-{bookings['cancelled'].pk}@hub.example.com",
        f"booking-{bookings['moved'].pk}@hub.example.com",
    }
    summaries = {str(e["SUMMARY"]) for e in cal.walk("VEVENT")}
    assert summaries == {"Personal training with Alice Archer Coaching"}
