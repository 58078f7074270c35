"""A discount code's max_uses holds under concurrency: 30 workers, each with its own database
connection, book 30 different free slots with a code that has one use left. Exactly one gets
the discount; the rest are refused with `discount_used_up` and leave nothing behind.

Run on SQLite and on PostgreSQL (DATABASE_URL=postgres://... pytest this file)."""

from __future__ import annotations

import threading
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connections

from trainerhub.core.errors import Conflict
from trainerhub.scheduling import services
from trainerhub.scheduling.models import Booking, BookingEvent, DiscountCode, Session
from trainerhub.scheduling.purchase import Purchase
from trainerhub.scheduling.tests.factories import (
    local_at,
    make_client,
    make_service,
    open_every_day,
)

WORKERS = 30


@pytest.mark.django_db(transaction=True)
def test_one_use_left_thirty_concurrent_bookings(alice):
    open_every_day(alice)
    service = make_service(alice, duration_minutes=30, price="40.00")
    code = services.discount_create(trainer=alice, code="LAST", percent_off=25, max_uses=3)
    DiscountCode.objects.filter(pk=code.pk).update(uses=2)  # one use left
    clients = [make_client(alice, f"Racer {i}") for i in range(WORKERS)]
    first = local_at(alice, 3, "07:00")
    starts = [first + timedelta(days=i // 20, minutes=30 * (i % 20)) for i in range(WORKERS)]

    barrier = threading.Barrier(WORKERS)
    won: list[Booking] = []
    refused: list[str] = []
    crashed: list[str] = []
    lock = threading.Lock()

    def worker(start, client) -> None:
        try:
            barrier.wait()
            booking = services.booking_create(
                trainer=alice,
                client=client,
                service=service,
                start=start,
                source="client",
                purchase=Purchase(discount_code="last"),
            )
            with lock:
                won.append(booking)
        except Conflict as exc:
            with lock:
                refused.append(exc.code)
        except Exception as exc:  # anything else is a bug the test must show
            with lock:
                crashed.append(repr(exc))
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=worker, args=pair) for pair in zip(starts, clients, strict=True)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert crashed == []
    assert len(won) == 1
    assert refused == ["discount_used_up"] * (WORKERS - 1)
    booking = Booking.objects.get()
    assert (booking.price, booking.discount_amount) == (Decimal("30.00"), Decimal("10.00"))
    assert DiscountCode.objects.get().uses == 3
    assert Session.objects.count() == 1
    assert BookingEvent.objects.count() == 1
