"""One credit left, 30 concurrent bookings of different free slots against the same client
package: exactly one booking takes it, the others are refused `no_credits` and leave
nothing behind. Run on SQLite (IMMEDIATE transactions) and PostgreSQL (row lock)."""

from __future__ import annotations

import threading

import pytest
from django.db import connections

from trainerhub.core.errors import Conflict
from trainerhub.core.tests.factories import local_at, make_client, make_service, open_every_day
from trainerhub.packages import services
from trainerhub.packages.models import LedgerEntry
from trainerhub.packages.tests.factories import sell
from trainerhub.scheduling import services as scheduling
from trainerhub.scheduling.models import Booking, BookingEvent, Session
from trainerhub.scheduling.purchase import Purchase

WORKERS = 30


@pytest.mark.django_db(transaction=True)
def test_thirty_bookings_race_for_the_last_credit(alice):
    open_every_day(alice)
    service = make_service(alice, duration_minutes=30)
    client = make_client(alice, "Racer")
    cp = sell(client)
    services.client_package_adjust(client_package=cp, sessions=-9, reason="One left")
    # 30 different free half hours over three days.
    starts = [local_at(alice, 2 + i // 10, f"{8 + (i % 10):02d}:00") for i in range(WORKERS)]
    barrier = threading.Barrier(WORKERS)
    won: list[int] = []
    refused: list[str] = []
    crashed: list[str] = []
    lock = threading.Lock()

    def worker(start) -> None:
        try:
            barrier.wait()
            booking = scheduling.booking_create(
                trainer=alice,
                client=client,
                service=service,
                start=start,
                purchase=Purchase(client_package=cp.pk),
            )
            with lock:
                won.append(booking.pk)
        except Conflict as exc:
            with lock:
                refused.append(exc.code)
        except Exception as exc:  # anything else is a bug
            with lock:
                crashed.append(repr(exc))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(start,)) for start in starts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert crashed == []
    assert len(won) == 1
    assert refused == ["no_credits"] * (WORKERS - 1)
    assert services.balance_of(cp) == 0
    assert list(Booking.objects.values_list("pk", flat=True)) == won
    assert Session.objects.count() == 1
    assert BookingEvent.objects.count() == 1
    reserves = LedgerEntry.objects.filter(client_package=cp, kind="reserve")
    assert list(reserves.values_list("booking_id", flat=True)) == won
