"""The booking write guard is one trainer's local day, not their whole schedule: bookings of
other days go on while one is being written, contested slots still have exactly one winner
(checked in the database), and a writer of the whole schedule (a date override) still waits
for bookings. Two sessions of neighbouring days that overlap are refused by the exclusion
constraint (test_races.test_database_refuses_overlap_on_postgres).

Run on SQLite (writers serialised by BEGIN IMMEDIATE) and on PostgreSQL (shared schedule
lock + exclusive day lock, the exclusion constraint as the last word)."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections, transaction

from trainerhub.core.errors import Conflict
from trainerhub.scheduling import services
from trainerhub.scheduling.models import Booking, Session
from trainerhub.scheduling.tests.factories import (
    local_at,
    make_client,
    make_service,
    open_every_day,
)
from trainerhub.scheduling.tests.test_races import assert_nothing_half_written, run_race

race = pytest.mark.django_db(transaction=True)
SLOTS = 6
PER_SLOT = 4


@race
def test_contested_slots_on_several_days_have_one_winner_each(alice):
    open_every_day(alice)
    service = make_service(alice)
    clients = [make_client(alice, f"Racer {i}") for i in range(SLOTS * PER_SLOT)]
    # Two slots a day on three days: the day locks differ, the winners must not.
    slots = [local_at(alice, 3 + day, hhmm) for day in range(3) for hhmm in ("09:00", "15:00")]
    starts = [start for start in slots for _ in range(PER_SLOT)]
    won, refused, crashed = run_race(alice, service, starts, clients)
    assert crashed == []
    assert sorted(b.start for b in won) == sorted(slots)
    assert refused == ["slot_taken"] * (SLOTS * (PER_SLOT - 1))
    active = Booking.objects.filter(status__in=Booking.ACTIVE_STATUSES)
    assert sorted(active.values_list("start", flat=True)) == sorted(slots)
    assert Session.objects.filter(active=True).count() == SLOTS
    assert_nothing_half_written()


def _hold_a_booking(trainer, service, client, start, held: threading.Event, release):
    """Book `start` in a transaction that stays open until `release` is set."""
    try:
        with transaction.atomic():
            services.booking_create(trainer=trainer, client=client, service=service, start=start)
            held.set()
            release.wait(timeout=30)
    finally:
        connections.close_all()


def _book_in_thread(trainer, service, client, start, done: threading.Event, errors: list):
    try:
        services.booking_create(trainer=trainer, client=client, service=service, start=start)
    except Conflict as exc:
        errors.append(exc.code)
    finally:
        done.set()
        connections.close_all()


@race
def test_another_day_is_booked_while_one_day_is_held(alice):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite has one writer at a time: nothing runs beside a held write")
    open_every_day(alice)
    service = make_service(alice)
    ann, bob, cat = (make_client(alice, name) for name in ("Ann", "Bob", "Cat"))
    # A booking before: whatever a trainer's first booking creates once exists already.
    services.booking_create(
        trainer=alice, client=cat, service=service, start=local_at(alice, 6, "09:00")
    )
    held, release = threading.Event(), threading.Event()
    holder = threading.Thread(
        target=_hold_a_booking,
        args=(alice, service, ann, local_at(alice, 3, "09:00"), held, release),
    )
    holder.start()
    try:
        assert held.wait(timeout=30)
        other_day, same_day = threading.Event(), threading.Event()
        errors: list[str] = []
        threading.Thread(
            target=_book_in_thread,
            args=(alice, service, bob, local_at(alice, 4, "09:00"), other_day, errors),
        ).start()
        threading.Thread(
            target=_book_in_thread,
            args=(alice, service, cat, local_at(alice, 3, "15:00"), same_day, errors),
        ).start()
        # The other day's booking commits while the first is still open; the same day's waits.
        assert other_day.wait(timeout=30)
        assert not same_day.wait(timeout=1)
    finally:
        release.set()
        holder.join(timeout=30)
    assert same_day.wait(timeout=30)
    assert errors == []
    assert Booking.objects.count() == 4


@race
def test_a_date_override_waits_for_a_booking_in_progress(alice):
    """The whole schedule's writers take its lock exclusively: a booking holds it shared,
    so closing the date cannot slip between the booking's check and its insert."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite has one writer at a time: nothing runs beside a held write")
    open_every_day(alice)
    service = make_service(alice)
    ann = make_client(alice, "Ann")
    start = local_at(alice, 3, "09:00")
    held, release, closed = threading.Event(), threading.Event(), threading.Event()
    errors: list[str] = []

    def close_the_date() -> None:
        try:
            services.date_override_create(trainer=alice, date=start.date(), closed=True)
        except Exception as exc:  # the override refuses a date with bookings: either is fine
            errors.append(type(exc).__name__)
        finally:
            closed.set()
            connections.close_all()

    holder = threading.Thread(
        target=_hold_a_booking, args=(alice, service, ann, start, held, release)
    )
    holder.start()
    try:
        assert held.wait(timeout=30)
        threading.Thread(target=close_the_date).start()
        assert not closed.wait(timeout=1)
    finally:
        release.set()
        holder.join(timeout=30)
    assert closed.wait(timeout=30)
    assert Booking.objects.filter(start=start, status=Booking.Status.CONFIRMED).count() == 1
