"""A recurring series is told to the client once: one summary of its dates (and of the dates
it skipped, with why) instead of one "Booked" email per date, and one message for "cancel
this and following" instead of one per cancelled date. Reminders stay per session. The dates
are frozen into the row when the series is made, like every other message's facts."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine

from trainerhub.core.tests.factories import local_at
from trainerhub.notifications.dispatcher import dispatch_due
from trainerhub.notifications.messages import format_when
from trainerhub.notifications.models import Kind, Notification
from trainerhub.notifications.tests.conftest import move
from trainerhub.notifications.tests.test_email import parts
from trainerhub.scheduling import services
from trainerhub.scheduling.models import TimeOff

pytestmark = pytest.mark.django_db
LONDON = "Europe/London"


@pytest.fixture(autouse=True)
def _monday_morning():
    with time_machine.travel("2026-03-02 08:00:00+00:00", tick=False):
        yield


def weekly(alice, carol, pt, *, count=4, all_or_nothing=True):
    return services.series_create(
        trainer=alice,
        client=carol,
        service=pt,
        start=local_at(alice, 2, "10:00"),
        every_weeks=1,
        count=count,
        all_or_nothing=all_or_nothing,
        source="trainer",
    )


def body(message) -> str:
    return parts(message)[0].replace("\r\n", "\n")


def client_rows(kind):
    return Notification.objects.filter(kind=kind, recipient="client")


def test_a_series_sends_one_summary_of_its_dates_and_of_the_skipped_ones(smtp, alice, carol, pt):
    third = local_at(alice, 16, "10:00")
    TimeOff.objects.create(trainer=alice, start=third, end=third + timedelta(hours=2))
    _series, bookings, refused = weekly(alice, carol, pt, all_or_nothing=False)
    assert len(bookings) == 3 and len(refused) == 1

    assert client_rows(Kind.BOOKING_CONFIRMED).count() == 0
    assert client_rows(Kind.SERIES_BOOKED).count() == 1
    # Reminders stay per session: each date still gets its own.
    assert {r.booking_id for r in client_rows(Kind.REMINDER)} == {b.pk for b in bookings}

    dispatch_due()

    assert [m["Subject"] for m in smtp.messages] == [
        f"Booked: Personal training, 3 sessions from {format_when(bookings[0].start, LONDON)}"
    ]
    text = body(smtp.messages[0])
    for booking in bookings:
        assert f"- {format_when(booking.start, LONDON)}\n" in text
    assert f"- {format_when(third, LONDON)}: The trainer is away at this time." in text
    assert "every week, 3 sessions" in text


def test_the_summary_tells_the_dates_as_booked_even_when_one_moves_before_sending(
    smtp, alice, carol, pt
):
    _series, bookings, _ = weekly(alice, carol, pt, count=2)
    first = bookings[0].start
    move(bookings[0], first + timedelta(hours=2))

    dispatch_due()

    (summary,) = [m for m in smtp.messages if m["Subject"].startswith("Booked:")]
    assert f"- {format_when(first, LONDON)}\n" in body(summary)


def test_cancel_this_and_following_sends_one_message(smtp, alice, carol, pt):
    _series, bookings, _ = weekly(alice, carol, pt)
    dispatch_due()
    sent_before = len(smtp.messages)

    services.series_cancel_following(booking=bookings[1], actor="trainer", reason="Knee injury")

    assert client_rows(Kind.BOOKING_CANCELLED).count() == 0
    assert client_rows(Kind.SERIES_CANCELLED).count() == 1
    # The cancelled dates' reminders are off; the first date's stay.
    pending = client_rows(Kind.REMINDER).filter(status=Notification.Status.PENDING)
    assert {r.booking_id for r in pending} == {bookings[0].pk}
    dispatch_due()
    (message,) = smtp.messages[sent_before:]
    assert message["Subject"] == (
        f"Cancelled: Personal training, 3 sessions from {format_when(bookings[1].start, LONDON)}"
    )
    text = body(message)
    assert "Reason: Knee injury" in text
    for booking in bookings[1:]:
        assert f"- {format_when(booking.start, LONDON)}\n" in text
    assert format_when(bookings[0].start, LONDON) not in text


def test_a_single_booking_still_gets_its_own_confirmation(smtp, alice, carol, pt):
    services.booking_create(
        trainer=alice, client=carol, service=pt, start=local_at(alice, 2, "10:00")
    )
    assert client_rows(Kind.BOOKING_CONFIRMED).count() == 1
    assert client_rows(Kind.SERIES_BOOKED).count() == 0
