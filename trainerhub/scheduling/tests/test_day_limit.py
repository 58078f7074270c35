"""The trainer's day limit across all services (issue 18 item 8): bookings or booked hours on
one local date. The engine applies it to listing and accepting alike; the settings page and
the API set it; the explainer names it."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse

from trainerhub.scheduling import explain, selectors, services
from trainerhub.scheduling.slots import DayLimit, RefusalCode
from trainerhub.scheduling.tests.factories import local_at, make_service
from trainerhub.scheduling.tests.test_slots_rules import (
    MONDAY,
    accepted,
    availability,
    hours,
    local,
    refused,
    service,
    session,
    slots,
    walls,
)

pytestmark = pytest.mark.django_db


def limited(weekly, **limit):
    plain = availability(weekly)
    return type(plain)(
        tz=plain.tz, weekly=plain.weekly, overrides=plain.overrides, day_limit=DayLimit(**limit)
    )


# --- the engine (plain values) ---


def test_bookings_limit_counts_every_service_and_every_seat():
    pt, group = service(), service(id=2, capacity=4)
    avail = limited(hours(("09:00", "18:00")), bookings=3)
    busy = [
        session(group, local(MONDAY, "10:00"), session_id=1, seats=2),
        session(service(id=3), local(MONDAY, "15:00"), session_id=2),
    ]

    # Two seats of the class and one other session: 3 bookings, the day is full for all.
    assert slots(pt, avail, busy) == []
    refusal = refused(group, avail, local(MONDAY, "10:00"), busy)
    assert refusal.code == RefusalCode.DAY_LIMIT
    assert refusal.detail == "The trainer takes at most 3 bookings a day; that day is full."
    # The Monday after is free, and one booking fewer frees this one (but 15:00, taken).
    assert len(slots(pt, avail, busy, first=MONDAY + timedelta(days=7))) == 9
    assert "15:00" not in walls(slots(pt, avail, busy[1:]))
    assert len(slots(pt, avail, busy[1:])) == 8


def test_hours_limit_counts_sessions_once_and_lets_a_class_fill_up():
    pt, group = service(duration=timedelta(minutes=90)), service(id=2, capacity=4)
    avail = limited(hours(("09:00", "18:00")), booked=timedelta(hours=3))
    busy = [
        session(group, local(MONDAY, "09:00"), session_id=1, seats=3),  # 1 hour, once
        session(service(id=3), local(MONDAY, "16:00"), session_id=2),  # 1 hour
    ]

    # 2 hours booked: a 90-minute session would make 3h30, the class has room and adds none.
    assert slots(pt, avail, busy) == []
    assert refused(pt, avail, local(MONDAY, "12:00"), busy).code == RefusalCode.DAY_LIMIT
    assert accepted(group, avail, local(MONDAY, "09:00"), busy).session_id == 1
    # A new one-hour class session fits exactly (3 hours, not more).
    assert accepted(group, avail, local(MONDAY, "12:00"), busy).session_id is None
    assert "3 hours of sessions" in refused(pt, avail, local(MONDAY, "12:00"), busy).detail


def test_override_rules_lifts_the_day_limit_but_not_overlaps():
    pt = service()
    avail = limited(hours(("09:00", "18:00")), bookings=1)
    busy = [session(pt, local(MONDAY, "10:00"))]

    assert accepted(pt, avail, local(MONDAY, "12:00"), busy, override=True)
    assert refused(pt, avail, local(MONDAY, "10:00"), busy, override=True).code == "slot_taken"


# --- through the database: settings, listing, booking, explaining ---


def test_settings_page_and_api_set_the_limit_and_bad_values_are_field_messages(
    alice, alice_api, bob_api, client
):
    client.force_login(alice)
    response = client.post(
        reverse("scheduling:automation"),
        {"max_bookings_per_day": "4", "max_hours_per_day": "5.5"},
        follow=True,
    )
    assert response.status_code == 200
    body = alice_api.get("/api/v1/settings/scheduling").json()
    assert body["max_bookings_per_day"] == 4 and body["max_hours_per_day"] == "5.50"
    assert selectors.day_limit_of(trainer=alice) == DayLimit(4, timedelta(hours=5, minutes=30))
    assert bob_api.get("/api/v1/settings/scheduling").json()["max_bookings_per_day"] is None

    bad = alice_api.patch(
        "/api/v1/settings/scheduling", {"max_hours_per_day": "30", "max_bookings_per_day": 0}
    )
    assert bad.status_code == 400
    assert set(bad.json()) >= {"max_hours_per_day", "max_bookings_per_day"}
    page = client.post(reverse("scheduling:automation"), {"max_bookings_per_day": "0"})
    assert page.status_code == 200
    assert "greater than or equal to 1" in page.content.decode()
    assert selectors.day_limit_of(trainer=alice).bookings == 4  # nothing half-saved

    cleared = alice_api.patch(
        "/api/v1/settings/scheduling", {"max_bookings_per_day": None, "max_hours_per_day": None}
    )
    assert cleared.status_code == 200 and selectors.day_limit_of(trainer=alice) is None


def test_listing_booking_and_explaining_agree_on_the_limit(alice, alice_api, pt, carol, dave):
    other = make_service(alice, name="Consult", duration_minutes=30)
    services.scheduling_settings_update(trainer=alice, max_bookings_per_day=1)
    day = local_at(alice, 3, "10:00")
    first = alice_api.post(
        "/api/v1/bookings/",
        {"client": carol.pk, "service": other.pk, "start": day.isoformat()},
        format="json",
    )
    assert first.status_code == 201, first.json()

    listed = alice_api.get(
        "/api/v1/slots/",
        {"service": pt.pk, "from": day.date().isoformat(), "to": day.date().isoformat()},
    )
    assert listed.status_code == 200 and listed.json()["slots"] == []
    later = local_at(alice, 3, "14:00")
    refused_booking = alice_api.post(
        "/api/v1/bookings/",
        {"client": dave.pk, "service": pt.pk, "start": later.isoformat()},
        format="json",
    )
    assert refused_booking.status_code == 409
    assert refused_booking.json()["code"] == RefusalCode.DAY_LIMIT
    why = explain.explain(trainer=alice, service=pt, start=later)
    assert why["code"] == RefusalCode.DAY_LIMIT
    assert why["facts"] == [
        f"Your day limit is 1 booking across all services; {later:%A %d %B} has 1."
    ]
    # The day after is offered, and the trainer may still book the full day by hand.
    next_day = local_at(alice, 4, "14:00").date().isoformat()
    assert alice_api.get(
        "/api/v1/slots/", {"service": pt.pk, "from": next_day, "to": next_day}
    ).json()["slots"]
    forced = alice_api.post(
        "/api/v1/bookings/",
        {"client": dave.pk, "service": pt.pk, "start": later.isoformat(), "override_rules": True},
        format="json",
    )
    assert forced.status_code == 201, forced.json()


def test_hours_limit_in_the_explainer(alice, pt, carol):
    services.scheduling_settings_update(trainer=alice, max_hours_per_day=Decimal("1.5"))
    start = local_at(alice, 2, "09:00")
    services.booking_create(trainer=alice, client=carol, service=pt, start=start)
    later = local_at(alice, 2, "15:00")
    why = explain.explain(trainer=alice, service=pt, start=later)
    assert why["code"] == RefusalCode.DAY_LIMIT
    assert why["reason"] == ("The trainer takes at most 1h30 of sessions a day; that day is full.")
    assert why["facts"] == [
        f"Your day limit is 1h30 of sessions across all services; {later:%A %d %B} has "
        "1h00 booked and this session adds 1h00."
    ]
