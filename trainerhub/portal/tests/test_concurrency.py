"""A burst of 100 booking attempts for one slot from the public API yields one booking."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection
from rest_framework.test import APIClient

from trainerhub.clients.models import Client
from trainerhub.portal.tests.conftest import day_at, payload
from trainerhub.scheduling.models import Booking, Session

ATTEMPTS = 100
THREADS = 20


@pytest.mark.django_db(transaction=True)
def test_burst_for_one_slot_books_once(settings, service):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"public": "10000/min", "public_trainer": "10000/min"},
    }
    start = day_at(2, 10)

    def attempt(n: int) -> int:
        try:
            api = APIClient(REMOTE_ADDR=f"10.1.{n // 250}.{n % 250}")
            body = payload(service, start, email=f"visitor{n}@example.com")
            return api.post("/api/v1/public/alice/bookings", body, format="json").status_code
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=THREADS) as pool:
        codes = list(pool.map(attempt, range(ATTEMPTS)))

    assert codes.count(201) == 1, codes
    assert codes.count(409) == ATTEMPTS - 1, sorted(set(codes))
    assert Booking.objects.count() == 1
    assert Session.objects.count() == 1
    # The losers' client records were rolled back with their bookings: nothing half-written.
    assert Client.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_racing_changes_of_one_booking_end_in_one_cancellation(settings, service, alice):
    """The client cancelling and moving one booking many times at once while the trainer
    cancels it too: exactly one cancellation wins, each move that got through is recorded,
    every other request is refused with 409, and nothing deadlocks (one lock order)."""
    from trainerhub.core.errors import NotAllowed
    from trainerhub.portal.tests.conftest import make_client
    from trainerhub.scheduling.models import BookingEvent
    from trainerhub.scheduling.services import booking_cancel, booking_create

    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"public": "10000/min", "public_trainer": "10000/min"},
    }
    client = make_client(alice, "carol@example.com")
    booking = booking_create(trainer=alice, client=client, service=service, start=day_at(3, 10))
    base = f"/api/v1/manage/{booking.manage_token}"

    def attempt(n: int) -> tuple[str, int]:
        try:
            if n == 0:
                booking_cancel(booking=booking, actor="trainer", reason="Away")
                return "cancel", 200
            api = APIClient(REMOTE_ADDR=f"10.2.0.{n}")
            if n % 2:
                r = api.post(f"{base}/cancel", {"reason": "Ill"}, format="json")
                return "cancel", r.status_code
            new = day_at(4 + n % 5, 8 + n).isoformat()
            return "move", api.post(f"{base}/reschedule", {"start": new}, format="json").status_code
        except NotAllowed:
            return "cancel", 409  # the trainer's cancel came after another one
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=THREADS) as pool:
        results = list(pool.map(attempt, range(12)))

    assert {code for _, code in results} <= {200, 409}, results
    assert [kind for kind, code in results if code == 200].count("cancel") == 1, results
    booking.refresh_from_db()
    events = BookingEvent.objects.filter(booking=booking)
    assert booking.status == "cancelled"
    assert events.filter(kind="cancelled").count() == 1
    moved = [kind for kind, code in results if code == 200].count("move")
    assert events.filter(kind="rescheduled").count() == moved
    assert not Session.objects.filter(active=True).exists()
