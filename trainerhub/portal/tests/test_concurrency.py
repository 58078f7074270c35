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
