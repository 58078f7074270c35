"""Each message tells the change that caused it, even when later changes happen before the
worker runs: times, status, SEQUENCE and names are frozen into the outbox row when the event
is written. Read back through a real SMTP server."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from icalendar import Calendar

from trainerhub.core.tests.factories import local_at
from trainerhub.notifications.dispatcher import dispatch_due
from trainerhub.notifications.facts import FACTS_KEY
from trainerhub.notifications.messages import format_when
from trainerhub.notifications.models import Kind, Notification
from trainerhub.notifications.tests.conftest import cancel, make_booking, move
from trainerhub.notifications.tests.test_email import parts
from trainerhub.scheduling.services import booking_update, service_update

pytestmark = pytest.mark.django_db
LONDON = "Europe/London"


def by_subject(smtp, prefix: str) -> list:
    return [m for m in smtp.messages if m["Subject"].startswith(prefix)]


def event_of(message):
    (ics_part,) = parts(message)[2]
    cal = Calendar.from_ical(ics_part.get_content())
    return ics_part.get_param("method"), cal["METHOD"], cal.walk("VEVENT")[0]


@pytest.fixture
def two_pm(alice):
    return local_at(alice, 3, "14:00")


def test_book_then_move_in_one_pass_tells_each_change(smtp, alice, carol, pt, two_pm):
    booking = make_booking(alice, carol, pt, two_pm)
    three_pm = two_pm + timedelta(hours=1)
    move(booking, three_pm)

    dispatch_due()

    (booked,) = by_subject(smtp, "Booked:")
    assert booked["Subject"] == f"Booked: Personal training on {format_when(two_pm, LONDON)}"
    assert f"When:  {format_when(two_pm, LONDON)} until 15:00" in parts(booked)[0]
    param, method, event = event_of(booked)
    assert (param, method, str(event["STATUS"])) == ("REQUEST", "REQUEST", "CONFIRMED")
    assert event["SEQUENCE"] == 0
    assert event.decoded("DTSTART") == two_pm

    (moved,) = by_subject(smtp, "Moved:")
    assert moved["Subject"] == (
        f"Moved: Personal training is now on {format_when(three_pm, LONDON)}"
    )
    text = parts(moved)[0]
    assert f"Was:   {format_when(two_pm, LONDON)}" in text
    assert f"When:  {format_when(three_pm, LONDON)} until 16:00" in text
    param, method, event = event_of(moved)
    assert (method, str(event["STATUS"]), event["SEQUENCE"]) == ("REQUEST", "CONFIRMED", 1)
    assert event.decoded("DTSTART") == three_pm


def test_two_moves_in_one_pass_are_two_different_messages(smtp, alice, carol, pt, two_pm):
    booking = make_booking(alice, carol, pt, two_pm)
    dispatch_due()
    smtp.envelopes.clear()
    three_pm, four_pm = two_pm + timedelta(hours=1), two_pm + timedelta(hours=2)
    move(booking, three_pm)
    move(booking, four_pm)

    dispatch_due()

    moved = sorted(by_subject(smtp, "Moved:"), key=lambda m: event_of(m)[2]["SEQUENCE"])
    assert [m["Subject"] for m in moved] == [
        f"Moved: Personal training is now on {format_when(three_pm, LONDON)}",
        f"Moved: Personal training is now on {format_when(four_pm, LONDON)}",
    ]
    assert f"Was:   {format_when(two_pm, LONDON)}" in parts(moved[0])[0]
    assert f"Was:   {format_when(three_pm, LONDON)}" in parts(moved[1])[0]
    assert [event_of(m)[2]["SEQUENCE"] for m in moved] == [1, 2]
    assert [event_of(m)[2].decoded("DTSTART") for m in moved] == [three_pm, four_pm]


def test_book_then_cancel_in_one_pass_request_then_cancel(smtp, alice, carol, pt, two_pm):
    booking = make_booking(alice, carol, pt, two_pm)
    cancel(booking, actor="trainer", reason="Studio flooded")

    dispatch_due()

    (booked,) = by_subject(smtp, "Booked:")
    _, method, event = event_of(booked)
    assert (method, str(event["STATUS"]), event["SEQUENCE"]) == ("REQUEST", "CONFIRMED", 0)
    assert "Cancelled" not in str(event.get("DESCRIPTION", ""))
    (cancelled,) = by_subject(smtp, "Cancelled:")
    _, method, event = event_of(cancelled)
    assert (method, str(event["STATUS"]), event["SEQUENCE"]) == ("CANCEL", "CANCELLED", 1)
    assert "Cancelled: Studio flooded" in str(event["DESCRIPTION"])
    assert "Studio flooded" in parts(cancelled)[0]


def test_names_and_place_are_those_of_the_moment_of_the_change(smtp, alice, carol, pt, two_pm):
    booking = make_booking(alice, carol, pt, two_pm)
    service_update(service=pt, name="Strength session")
    booking_update(booking=booking, actor="trainer", location="Park gate")
    carol.first_name = "Caroline"
    carol.save()

    dispatch_due()

    (booked,) = by_subject(smtp, "Booked:")
    text = parts(booked)[0]
    assert booked["Subject"].startswith("Booked: Personal training on ")
    assert "Hi Carol," in text
    assert "Where: Studio 1, 10 High Street" in text
    assert str(event_of(booked)[2]["LOCATION"]) == "Studio 1, 10 High Street"


def test_a_reminder_tells_the_session_as_it_is_when_sent(smtp, alice, carol, pt, two_pm):
    booking = make_booking(alice, carol, pt, two_pm)
    dispatch_due()
    booking_update(booking=booking, actor="trainer", location="Park gate")

    with time_machine.travel(two_pm - timedelta(hours=2), tick=False):
        dispatch_due()

    (reminder,) = by_subject(smtp, "Reminder:")
    assert "Where: Park gate" in parts(reminder)[0]


def test_a_row_without_facts_is_composed_from_the_booking_as_it_is(smtp, alice, carol, pt, two_pm):
    # Rows queued before facts were frozen carry none: they still go out, as before.
    make_booking(alice, carol, pt, two_pm)
    row = Notification.objects.get(kind=Kind.BOOKING_CONFIRMED)
    assert row.context[FACTS_KEY]["start"] == two_pm.isoformat()
    row.context = {"actor": "trainer"}
    row.save(update_fields=["context"])

    dispatch_due()

    (booked,) = by_subject(smtp, "Booked:")
    assert booked["Subject"] == f"Booked: Personal training on {format_when(two_pm, LONDON)}"
    assert event_of(booked)[2]["SEQUENCE"] == 0
