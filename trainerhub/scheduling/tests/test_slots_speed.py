"""The slot read path's guarantees behind its speed (issue 20): a fixed number of queries
whatever the data, a cache that never outlives a write, orjson and gzip answers that mean
the same as before. Timings live in bench/, never in tests."""

from __future__ import annotations

import gzip
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from trainerhub.core.renderers import FastJSONRenderer
from trainerhub.scheduling import services
from trainerhub.scheduling.models import TimeOff
from trainerhub.scheduling.tests.factories import local_at, make_booking, make_client

pytestmark = pytest.mark.django_db

# The whole request: the token's user (1), the service (1), then the loader: weekly hours,
# overrides, time off, busy times from calendars, sessions with their seats counted, the
# day limit (6). No add-ons asked, no add-on query.
LISTING_QUERIES = 8


def listing(api, service, days=(1, 14)):
    first, last = (local_at(service.trainer, d, "00:00").date().isoformat() for d in days)
    return api.get("/api/v1/slots/", {"service": service.pk, "from": first, "to": last})


def count_queries(api, service) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert listing(api, service).status_code == 200
    return len(ctx.captured_queries)


def test_a_listing_costs_the_same_queries_at_three_and_at_thirty_bookings(
    alice, alice_api, pt, settings
):
    settings.SLOTS_CACHE_SECONDS = 0
    clients = [make_client(alice, f"C{n}") for n in range(30)]
    for n, client in enumerate(clients[:3]):
        make_booking(client, local_at(alice, 1 + n, "09:00"), service=pt)
    assert count_queries(alice_api, pt) == LISTING_QUERIES
    for n, client in enumerate(clients[3:]):
        make_booking(client, local_at(alice, 1 + n % 13, f"{10 + n // 13}:00"), service=pt)
    assert count_queries(alice_api, pt) == LISTING_QUERIES


def starts(response) -> set[str]:
    return {slot["start"] for slot in response.json()["slots"]}


def test_the_cache_answers_without_the_loader_and_every_write_refreshes_it(
    alice, alice_api, pt, carol, settings
):
    settings.SLOTS_CACHE_SECONDS = 60
    before = starts(listing(alice_api, pt))
    nine = local_at(alice, 2, "09:00")
    assert nine.isoformat() in before
    with CaptureQueriesContext(connection) as ctx:
        assert starts(listing(alice_api, pt)) == before
    assert len(ctx.captured_queries) == 2  # the user and the service: no loader queries

    # A booking, time off, a settings change and the service itself each refresh it.
    booked = alice_api.post(
        "/api/v1/bookings/",
        {"client": carol.pk, "service": pt.pk, "start": nine.isoformat()},
        format="json",
    )
    assert booked.status_code == 201
    assert nine.isoformat() not in starts(listing(alice_api, pt))
    ten = local_at(alice, 3, "10:00")
    TimeOff.objects.create(trainer=alice, start=ten, end=local_at(alice, 3, "11:00"))
    assert ten.isoformat() not in starts(listing(alice_api, pt))
    services.scheduling_settings_update(trainer=alice, max_bookings_per_day=1)
    assert not any(s.startswith(nine.date().isoformat()) for s in starts(listing(alice_api, pt)))
    pt.min_notice_minutes = 60 * 24 * 10
    pt.save()
    assert (
        listing(alice_api, pt).json()["slots"][0]["start"]
        >= local_at(alice, 10, "00:00").isoformat()
    )
    # Cancelling frees the time again (the trainer lifted the limit first).
    services.scheduling_settings_update(trainer=alice, max_bookings_per_day=None)
    pt.min_notice_minutes = 0
    pt.save()
    services.booking_cancel(booking=pt.bookings.get(), actor="trainer")
    assert nine.isoformat() in starts(listing(alice_api, pt))


def test_answers_are_gzipped_for_clients_that_ask_and_mean_the_same(alice, alice_api, pt):
    plain = listing(alice_api, pt)
    assert "Content-Encoding" not in plain
    zipped = alice_api.get(
        "/api/v1/slots/",
        {
            "service": pt.pk,
            "from": local_at(alice, 1, "00:00").date().isoformat(),
            "to": local_at(alice, 14, "00:00").date().isoformat(),
        },
        HTTP_ACCEPT_ENCODING="gzip, deflate",
    )
    assert zipped["Content-Encoding"] == "gzip" and "Accept-Encoding" in zipped["Vary"]
    assert json.loads(gzip.decompress(zipped.content)) == plain.json()
    assert len(zipped.content) * 4 < len(plain.content)


def test_a_cached_answer_is_the_same_bytes_for_gzip_and_plain_clients(
    alice, alice_api, pt, settings
):
    """The cache keeps the rendered bytes and their gzip: a plain client after a gzip one (and
    the public endpoint after the trainer's) reads the same answer, marked Vary."""
    settings.SLOTS_CACHE_SECONDS = 60
    first = local_at(alice, 1, "00:00").date().isoformat()
    last = local_at(alice, 14, "00:00").date().isoformat()
    query = {"service": pt.pk, "from": first, "to": last}
    zipped = alice_api.get("/api/v1/slots/", query, HTTP_ACCEPT_ENCODING="gzip")
    with CaptureQueriesContext(connection) as ctx:
        plain = alice_api.get("/api/v1/slots/", query)
    assert len(ctx.captured_queries) == 2  # a hit: the user and the service
    assert zipped["Content-Encoding"] == "gzip" and "Content-Encoding" not in plain
    assert "Accept-Encoding" in zipped["Vary"] and "Accept-Encoding" in plain["Vary"]
    assert plain["Content-Type"] == zipped["Content-Type"] == "application/json"
    assert gzip.decompress(zipped.content) == plain.content
    assert len(plain.json()["slots"]) > 100

    public = alice_api.get(f"/api/v1/public/{alice.slug}/slots", query)
    assert public.status_code == 200 and public.content == plain.content


def test_the_fast_renderer_writes_what_drf_would(alice):
    from decimal import Decimal

    from rest_framework.renderers import JSONRenderer

    data = {"price": Decimal("12.50"), "name": "Zoë", "slots": [{"available": 1}], 3: None}
    assert json.loads(FastJSONRenderer().render(data)) == json.loads(JSONRenderer().render(data))
