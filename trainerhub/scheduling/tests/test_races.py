"""Double booking is impossible: many workers, each with its own database connection, race
for one slot; exactly one wins each contest and nothing half-written remains.

Run on SQLite (writers serialised by BEGIN IMMEDIATE) and on PostgreSQL (advisory lock plus
the exclusion constraint on active sessions)."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from django.db import IntegrityError, connection, connections, transaction

from trainerhub.core.errors import Conflict
from trainerhub.scheduling import services
from trainerhub.scheduling.models import Booking, BookingEvent, Session
from trainerhub.scheduling.tests.factories import (
    local_at,
    make_client,
    make_service,
    open_every_day,
)

WORKERS = 24
race = pytest.mark.django_db(transaction=True)


def run_race(trainer, service, starts, clients) -> tuple[list[Booking], list[str], list[str]]:
    barrier = threading.Barrier(len(starts))
    won: list[Booking] = []
    refused: list[str] = []
    crashed: list[str] = []
    lock = threading.Lock()

    def worker(start, client) -> None:
        try:
            barrier.wait()
            booking = services.booking_create(
                trainer=trainer, client=client, service=service, start=start
            )
            with lock:
                won.append(booking)
        except Conflict as exc:
            with lock:
                refused.append(exc.code)
        except Exception as exc:
            with lock:
                crashed.append(repr(exc))
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=worker, args=(start, client))
        for start, client in zip(starts, clients, strict=True)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return won, refused, crashed


def assert_nothing_half_written() -> None:
    assert not Session.objects.filter(bookings__isnull=True).exists()
    assert BookingEvent.objects.count() == Booking.objects.count()
    assert not BookingEvent.objects.exclude(kind="created").exists()


@pytest.fixture
def setup(alice):
    open_every_day(alice)
    clients = [make_client(alice, f"Racer {i}") for i in range(WORKERS)]
    return alice, clients


@race
def test_many_workers_one_private_slot(setup):
    alice, clients = setup
    service = make_service(alice)
    start = local_at(alice, 3, "10:00")
    won, refused, crashed = run_race(alice, service, [start] * WORKERS, clients)
    assert crashed == []
    assert len(won) == 1
    assert refused == ["slot_taken"] * (WORKERS - 1)
    assert Booking.objects.count() == 1 and Session.objects.count() == 1
    assert_nothing_half_written()


@race
def test_many_workers_overlapping_starts(setup):
    alice, clients = setup
    # Two hours long on a five-minute grid: the 24 starts 10:00..11:55 all overlap each other.
    service = make_service(alice, duration_minutes=120, slot_interval_minutes=5)
    first = local_at(alice, 3, "10:00")
    starts = [first + timedelta(minutes=5 * i) for i in range(WORKERS)]
    won, refused, crashed = run_race(alice, service, starts, clients)
    assert crashed == []
    assert len(won) == 1
    assert refused == ["slot_taken"] * (WORKERS - 1)
    assert Session.objects.filter(active=True).count() == 1
    assert_nothing_half_written()


@race
def test_many_workers_group_of_five(setup):
    alice, clients = setup
    service = make_service(alice, name="Group", capacity=5)
    start = local_at(alice, 3, "10:00")
    won, refused, crashed = run_race(alice, service, [start] * WORKERS, clients)
    assert crashed == []
    assert len(won) == 5
    assert len({b.session_id for b in won}) == 1
    assert set(refused) == {"session_full"} and len(refused) == WORKERS - 5
    assert Session.objects.count() == 1
    assert_nothing_half_written()


@race
def test_database_refuses_overlap_on_postgres(setup):
    """The last word, without any lock: two overlapping active sessions cannot be stored."""
    if connection.vendor != "postgresql":
        pytest.skip("the exclusion constraint exists on PostgreSQL only")
    alice, _ = setup
    service = make_service(alice)
    start = local_at(alice, 3, "10:00")

    def session(at, active=True):
        return Session(
            trainer=alice,
            service=service,
            start=at,
            end=at + timedelta(hours=1),
            blocked_start=at,
            blocked_end=at + timedelta(hours=1),
            active=active,
        )

    session(start).save()
    session(start + timedelta(hours=1)).save()  # touching is fine: [) ranges
    session(start + timedelta(minutes=30), active=False).save()  # inactive blocks nothing
    with pytest.raises(IntegrityError), transaction.atomic():
        session(start + timedelta(minutes=30)).save()
