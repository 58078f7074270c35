"""Domain events become deliveries in the same transaction, for the endpoints that want them."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import transaction

from trainerhub.clients import services as client_services
from trainerhub.core.tests.factories import local_at, make_booking, make_client
from trainerhub.scheduling import services as scheduling
from trainerhub.webhooks import services
from trainerhub.webhooks.models import Delivery

pytestmark = pytest.mark.django_db


def test_a_booking_writes_one_delivery_with_a_versioned_body(alice, endpoint):
    client = make_client(alice, "Chris", last_name="Cole", email="chris@example.com")
    booking = make_booking(client, local_at(alice, 3, "10:00"))
    (delivery,) = Delivery.objects.filter(event="booking.created")
    body = delivery.payload
    assert body["version"] == 1
    assert body["type"] == "booking.created"
    assert body["id"] == str(delivery.event_id)
    assert body["data"]["id"] == booking.pk
    assert body["data"]["start"].endswith("Z")
    assert body["data"]["client"]["email"] == "chris@example.com"
    assert body["data"]["actor"] == "trainer"
    assert delivery.client_id == client.pk
    assert delivery.status == Delivery.Status.PENDING
    assert delivery.trainer_id == alice.pk


def test_each_booking_change_is_its_event(alice, endpoint):
    client = make_client(alice)
    booking = make_booking(client, local_at(alice, 3, "10:00"))
    new_start = booking.start + timedelta(days=1)
    booking = scheduling.booking_reschedule(
        booking=booking, start=new_start, actor="trainer", override_rules=True
    )
    scheduling.booking_cancel(booking=booking, actor="trainer", reason="Ill")
    events = list(Delivery.objects.order_by("id").values_list("event", flat=True))
    assert events == [
        "client.created",
        "booking.created",
        "booking.rescheduled",
        "booking.cancelled",
    ]
    cancelled = Delivery.objects.get(event="booking.cancelled").payload["data"]
    assert cancelled["reason"] == "Ill" and cancelled["status"] == "cancelled"
    moved = Delivery.objects.get(event="booking.rescheduled").payload["data"]
    assert moved["old_start"] is not None and moved["old_start"] != moved["start"]


def test_completed_and_no_show_are_told(alice, endpoint):
    client = make_client(alice)
    make_booking(client, local_at(alice, -2, "10:00"), status="completed")
    make_booking(client, local_at(alice, -3, "10:00"), status="no_show")
    events = set(Delivery.objects.values_list("event", flat=True))
    assert {"booking.completed", "booking.no_show"} <= events


def test_client_created_and_updated(alice, endpoint):
    client = make_client(alice, "Dee")
    client_services.client_update(client=client, last_name="Dale")
    updated = Delivery.objects.get(event="client.updated").payload["data"]
    assert updated["last_name"] == "Dale"
    assert updated["changed"] == ["last_name"]
    assert Delivery.objects.filter(event="client.created").count() == 1


def test_only_the_events_an_endpoint_asked_for(alice, receiver):
    services.endpoint_create(trainer=alice, url=receiver.url, events=["booking.cancelled"])
    client = make_client(alice)
    make_booking(client, local_at(alice, 3, "10:00"))
    assert not Delivery.objects.exists()


def test_another_trainers_change_never_reaches_alices_endpoint(alice, bob, endpoint):
    make_booking(make_client(bob), local_at(bob, 3, "10:00"))
    assert not Delivery.objects.exists()


def test_a_disabled_endpoint_gets_nothing(alice, endpoint):
    services.endpoint_update(endpoint=endpoint, enabled=False)
    make_client(alice)
    assert not Delivery.objects.exists()


def test_a_change_rolled_back_leaves_no_delivery(alice, endpoint):
    with pytest.raises(RuntimeError), transaction.atomic():
        make_client(alice)
        assert Delivery.objects.count() == 1
        raise RuntimeError("the change fails after the event")
    assert not Delivery.objects.exists()


def test_one_event_to_two_endpoints_shares_its_id(alice, endpoint, receiver):
    services.endpoint_create(trainer=alice, url=receiver.url + "2", events=["client.created"])
    make_client(alice)
    ids = set(Delivery.objects.values_list("event_id", flat=True))
    assert Delivery.objects.count() == 2 and len(ids) == 1
