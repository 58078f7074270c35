"""Through the real scheduling services: each booking change writes its messages, in its
transaction."""

from __future__ import annotations

from datetime import timedelta

import pytest

from trainerhub.core.errors import DomainError
from trainerhub.notifications.dispatcher import dispatch_due
from trainerhub.notifications.models import InAppNotification, Kind, Notification
from trainerhub.scheduling.services import (
    booking_cancel,
    booking_confirm,
    booking_create,
    booking_reschedule,
)

pytestmark = pytest.mark.django_db


def kinds(booking):
    return sorted(
        Notification.objects.filter(booking=booking).values_list("kind", "channel", "status")
    )


def test_trainer_booking_by_hand_notifies_the_client_only(smtp, alice, carol, pt, in_three_days):
    booking = booking_create(
        trainer=alice,
        client=carol,
        service=pt,
        start=in_three_days,
        source="trainer",
        override_rules=True,
    )
    assert {(k, c) for k, c, _ in kinds(booking)} == {
        (Kind.BOOKING_CONFIRMED, "email"),
        (Kind.REMINDER, "email"),
    }
    # A trainer booking by hand is not announced to the trainer.
    assert InAppNotification.objects.count() == 0


def test_cancel_and_reschedule_through_services(smtp, alice, carol, pt, in_three_days):
    booking = booking_create(
        trainer=alice, client=carol, service=pt, start=in_three_days, override_rules=True
    )
    booking = booking_reschedule(
        booking=booking,
        start=in_three_days + timedelta(days=1),
        actor="trainer",
        override_rules=True,
    )
    booking_cancel(booking=booking, actor="client", reason="Moving house", late=True)
    rows = Notification.objects.filter(booking=booking)
    assert rows.filter(kind=Kind.BOOKING_RESCHEDULED).count() == 1
    assert rows.filter(kind=Kind.BOOKING_CANCELLED).count() == 1
    assert not rows.filter(kind=Kind.REMINDER, status="pending").exists()
    late = InAppNotification.objects.get()
    assert late.title.startswith("Late cancellation: Carol Clark")
    dispatch_due()
    subjects = sorted(m["Subject"].split(":")[0] for m in smtp.messages)
    assert subjects == ["Booked", "Cancelled", "Late cancellation", "Moved"]


def test_pending_request_then_confirm(smtp, alice, carol, pt, in_three_days):
    from trainerhub.scheduling.models import WeeklyInterval

    pt.requires_confirmation = True
    pt.min_notice_minutes = 0
    pt.save()
    for weekday in range(7):
        WeeklyInterval.objects.create(trainer=alice, weekday=weekday, start="00:00", end="23:59")
    booking = booking_create(
        trainer=alice, client=carol, service=pt, start=in_three_days, source="client"
    )
    assert booking.status == "pending"
    assert {k for k, _, _ in kinds(booking)} == {
        Kind.REQUEST_RECEIVED,
        Kind.TRAINER_PENDING_REQUEST,
    }
    assert InAppNotification.objects.get().title.startswith("Request waiting: Carol Clark")
    booking_confirm(booking=booking, actor="trainer")
    assert {k for k, _, _ in kinds(booking)} >= {Kind.BOOKING_CONFIRMED, Kind.REMINDER}


def test_refused_booking_writes_no_message(alice, carol, pt, in_three_days):
    booking_create(
        trainer=alice, client=carol, service=pt, start=in_three_days, override_rules=True
    )
    before = Notification.objects.count()
    with pytest.raises(DomainError):
        booking_create(
            trainer=alice, client=carol, service=pt, start=in_three_days, override_rules=True
        )
    assert Notification.objects.count() == before
