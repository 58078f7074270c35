"""The slot loader's sessions read (issue 20): the engine's integer rows are exactly the
sessions' times and seats, on SQLite and PostgreSQL alike, whatever lies outside the range."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from trainerhub.scheduling import selectors, services
from trainerhub.scheduling.instants import to_us
from trainerhub.scheduling.models import Session
from trainerhub.scheduling.slots import BusySession
from trainerhub.scheduling.tests.factories import local_at, make_booking, make_client

pytestmark = pytest.mark.django_db


def day_rows(trainer, day: int):
    when = local_at(trainer, day, "00:00").date()
    _availability, busy = selectors.load_slot_inputs(trainer=trainer, first_day=when, last_day=when)
    return busy


def test_rows_are_the_sessions_times_to_the_microsecond_with_their_seats(alice, pt, group, carol):
    private = make_booking(carol, local_at(alice, 2, "09:00"), service=pt).session
    joined = make_booking(carol, local_at(alice, 2, "12:00"), service=group).session
    make_booking(make_client(alice, "Dave"), joined.start, service=group)
    # A stored time with microseconds (a session moved by hand, say) reads back exactly.
    odd = private.start + timedelta(hours=4, microseconds=250_001)
    Session.objects.filter(pk=private.pk).update(
        start=odd,
        end=odd + timedelta(minutes=60),
        blocked_start=odd,
        blocked_end=odd + timedelta(minutes=60),
    )
    busy = day_rows(alice, 2)
    assert busy.rows == [
        (
            s.pk,
            s.service_id,
            to_us(s.start, "s"),
            to_us(s.end, "e"),
            to_us(s.blocked_start, "bs"),
            to_us(s.blocked_end, "be"),
            seats,
            s.capacity,
        )
        for s, seats in sorted(
            [(Session.objects.get(pk=private.pk), 1), (Session.objects.get(pk=joined.pk), 2)],
            key=lambda pair: pair[0].blocked_start,
        )
    ]
    assert busy.rows[-1][2] % 1_000_000 == 250_001
    # Read as a sequence, the rows are the engine's BusySession values.
    session = Session.objects.get(pk=joined.pk)
    assert busy[0] == BusySession(
        session.pk,
        group.pk,
        session.start,
        session.end,
        session.blocked_start,
        session.blocked_end,
        2,
        5,
    )
    assert busy[0].start.tzinfo is UTC and list(busy)[1:] == busy[1:]


def test_a_cancelled_seat_is_not_counted_and_a_freed_session_is_not_loaded(alice, group, pt, carol):
    first = make_booking(carol, local_at(alice, 3, "10:00"), service=group)
    second = make_booking(make_client(alice, "Dave"), first.start, service=group)
    services.booking_cancel(booking=second, actor="trainer")
    assert [row[6] for row in day_rows(alice, 3).rows] == [1]
    lone = make_booking(carol, local_at(alice, 3, "15:00"), service=pt)
    services.booking_cancel(booking=lone, actor="trainer")
    assert [row[0] for row in day_rows(alice, 3).rows] == [first.session_id]


def test_only_sessions_reaching_the_range_are_read_and_excluded_ones_never(alice, pt, carol):
    past = make_booking(carol, local_at(alice, 1, "09:00"), service=pt)
    inside = make_booking(carol, local_at(alice, 5, "09:00"), service=pt)
    later = make_booking(carol, local_at(alice, 9, "09:00"), service=pt)
    ids = [row[0] for row in day_rows(alice, 5).rows]
    assert ids == [inside.session_id]
    assert past.session_id not in ids and later.session_id not in ids
    when = local_at(alice, 5, "00:00").date()
    _availability, busy = selectors.load_slot_inputs(
        trainer=alice, first_day=when, last_day=when, exclude_session_ids=[inside.session_id]
    )
    assert busy.rows == []


def test_another_trainers_sessions_are_not_read(alice, bob, pt, carol):
    make_booking(carol, local_at(alice, 2, "09:00"), service=pt)
    start = datetime.now(UTC) - timedelta(days=400)
    lo, hi = start, start + timedelta(days=800)
    assert len(selectors.busy_rows(trainer=alice, start=lo, end=hi)) == 1
    assert len(selectors.busy_rows(trainer=bob, start=lo, end=hi)) == 0
