"""Reminders: written with the booking, sent on time, dropped when cancelled, moved or late."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from trainerhub.notifications.dispatcher import dispatch_due
from trainerhub.notifications.models import Kind, Notification
from trainerhub.notifications.services import (
    client_unsubscribe_reminders,
    notification_settings_update,
)
from trainerhub.notifications.sweep import reminder_sweep
from trainerhub.notifications.tests.conftest import cancel, make_booking, move

pytestmark = pytest.mark.django_db


def reminders(booking):
    return Notification.objects.filter(booking=booking, kind=Kind.REMINDER).order_by(
        "-offset_minutes"
    )


def reminder_mails(smtp):
    return [m for m in smtp.messages if m["Subject"].startswith("Reminder")]


def test_default_reminders_24h_and_2h_are_sent_on_time(smtp, alice, carol, pt, in_three_days):
    booking = make_booking(alice, carol, pt, in_three_days)
    assert [r.offset_minutes for r in reminders(booking)] == [1440, 120]
    dispatch_due()
    with time_machine.travel(in_three_days - timedelta(hours=24, minutes=1), tick=False):
        dispatch_due()
        assert reminder_mails(smtp) == []
    with time_machine.travel(in_three_days - timedelta(hours=24), tick=False):
        dispatch_due()
    (first,) = reminder_mails(smtp)
    assert first["Subject"].startswith("Reminder: Personal training in 24 hours")
    with time_machine.travel(in_three_days - timedelta(hours=2), tick=False):
        dispatch_due()
        dispatch_due()
    assert [m["Subject"][:30] for m in reminder_mails(smtp)] == [
        "Reminder: Personal training in",
        "Reminder: Personal training in",
    ]
    assert "in 2 hours" in reminder_mails(smtp)[1]["Subject"]


def test_cancelled_booking_gets_no_reminder(smtp, alice, carol, pt, in_three_days):
    booking = make_booking(alice, carol, pt, in_three_days)
    cancel(booking, actor="trainer", reason="Ill")
    assert set(reminders(booking).values_list("status", flat=True)) == {"skipped"}
    with time_machine.travel(in_three_days - timedelta(hours=1), tick=False):
        reminder_sweep()
        dispatch_due()
    assert reminder_mails(smtp) == []


def test_moved_booking_gets_reminders_for_its_new_time_only(smtp, alice, carol, pt, in_three_days):
    booking = make_booking(alice, carol, pt, in_three_days)
    new_start = in_three_days + timedelta(days=2)
    move(booking, new_start)
    pending = reminders(booking).filter(status="pending")
    assert {r.booking_start for r in pending} == {new_start}
    with time_machine.travel(in_three_days - timedelta(hours=2), tick=False):
        reminder_sweep()
        dispatch_due()
    assert reminder_mails(smtp) == []
    with time_machine.travel(new_start - timedelta(hours=2), tick=False):
        reminder_sweep()
        dispatch_due()
    assert len(reminder_mails(smtp)) == 1  # the 24 h one was superseded by the 2 h one
    assert "in 2 hours" in reminder_mails(smtp)[0]["Subject"]


def test_moved_away_and_back_still_gets_its_reminders(smtp, alice, carol, pt, in_three_days):
    booking = make_booking(alice, carol, pt, in_three_days)
    move(booking, in_three_days + timedelta(days=1))
    move(booking, in_three_days)
    pending = reminders(booking).filter(status="pending", booking_start=in_three_days)
    assert sorted(pending.values_list("offset_minutes", flat=True)) == [120, 1440]
    with time_machine.travel(in_three_days - timedelta(hours=2), tick=False):
        dispatch_due()
    assert len(reminder_mails(smtp)) == 1


def test_worker_stopped_for_a_while_sends_useful_late_reminders_and_drops_past_ones(
    smtp, alice, carol, pt, in_three_days
):
    soon = make_booking(alice, carol, pt, in_three_days)
    later = make_booking(alice, carol, pt, in_three_days + timedelta(hours=3))
    dispatch_due()
    smtp.envelopes.clear()
    # The worker was down from 3 h before `soon` until 30 minutes after it started.
    with time_machine.travel(in_three_days + timedelta(minutes=30), tick=False):
        dispatch_due()
    soon_two_hour = reminders(soon).get(offset_minutes=120)
    assert soon_two_hour.status == "skipped"
    assert "Too late" in soon_two_hour.last_error
    later_rows = {r.offset_minutes: r for r in reminders(later)}
    assert later_rows[1440].status == "sent"  # 20 h late, but the session is still ahead
    assert later_rows[120].status == "pending"
    assert len(reminder_mails(smtp)) == 1
    with time_machine.travel(in_three_days + timedelta(hours=1), tick=False):
        dispatch_due()
    assert reminders(later).get(offset_minutes=120).status == "sent"
    assert len(reminder_mails(smtp)) == 2


def test_booking_made_inside_the_window_gets_only_future_reminders(smtp, alice, carol, pt):
    start = timezone.now() + timedelta(hours=5)
    booking = make_booking(alice, carol, pt, start)
    assert list(reminders(booking).values_list("offset_minutes", flat=True)) == [120]


def test_trainer_set_offsets_and_sweep_writes_new_ones(smtp, alice, carol, pt, in_three_days):
    booking = make_booking(alice, carol, pt, in_three_days)
    notification_settings_update(
        trainer=alice, reminder_offsets=[48 * 60, 30], daily_agenda=False, agenda_hour=7
    )
    reminder_sweep()  # nothing due within the next 48 h yet
    assert set(reminders(booking).values_list("offset_minutes", flat=True)) == {1440, 120}
    with time_machine.travel(in_three_days - timedelta(hours=48, minutes=-1), tick=False):
        reminder_sweep()
        dispatch_due()
    offsets = set(reminders(booking).values_list("offset_minutes", flat=True))
    assert offsets == {2880, 1440, 120, 30}
    assert reminders(booking).get(offset_minutes=2880).status == "sent"
    with time_machine.travel(in_three_days - timedelta(hours=2), tick=False):
        dispatch_due()
    # 24 h and 2 h are no longer wanted
    assert reminders(booking).get(offset_minutes=120).status == "skipped"
    with time_machine.travel(in_three_days - timedelta(minutes=30), tick=False):
        dispatch_due()
    assert reminders(booking).get(offset_minutes=30).status == "sent"


def test_unsubscribed_client_gets_no_reminders_but_still_gets_confirmations(
    smtp, alice, carol, pt, in_three_days
):
    client_unsubscribe_reminders(client=carol)
    booking = make_booking(alice, carol, pt, in_three_days)
    dispatch_due()
    assert smtp.messages[0]["Subject"].startswith("Booked")
    with time_machine.travel(in_three_days - timedelta(hours=2), tick=False):
        dispatch_due()
    assert reminder_mails(smtp) == []
    assert reminders(booking).get(offset_minutes=120).last_error.startswith("The client unsub")


def test_same_event_twice_writes_one_row(alice, carol, pt, in_three_days):
    from django.db import transaction

    from trainerhub.core.events import emit

    booking = make_booking(alice, carol, pt, in_three_days)
    with transaction.atomic():
        emit("booking.created", booking=booking, actor="trainer")
    assert Notification.objects.filter(booking=booking, kind=Kind.BOOKING_CONFIRMED).count() == 1
    assert reminders(booking).count() == 2


def test_rolled_back_booking_leaves_no_message(alice, carol, pt, in_three_days):
    from django.db import transaction

    class Boom(Exception):
        pass

    with pytest.raises(Boom), transaction.atomic():
        make_booking(alice, carol, pt, in_three_days)
        raise Boom
    assert Notification.objects.count() == 0


def test_daily_agenda(smtp, alice, carol, pt, in_three_days):
    notification_settings_update(
        trainer=alice, reminder_offsets=[], daily_agenda=True, agenda_hour=7
    )
    make_booking(alice, carol, pt, in_three_days.replace(hour=10))
    dispatch_due()
    smtp.envelopes.clear()
    morning = in_three_days.astimezone(__import__("zoneinfo").ZoneInfo("Europe/London"))
    with time_machine.travel(morning.replace(hour=6, minute=59), tick=False):
        reminder_sweep()
        dispatch_due()
    assert smtp.messages == []
    with time_machine.travel(morning.replace(hour=7, minute=1), tick=False):
        reminder_sweep()
        reminder_sweep()
        dispatch_due()
    (mail,) = smtp.messages
    assert mail["Subject"].startswith("Your day, ") and mail["Subject"].endswith("1 session")
    assert "Carol Clark" in mail.get_body(preferencelist=("plain",)).get_content()
