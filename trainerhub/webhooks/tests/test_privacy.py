"""Erasing a client scrubs their deliveries' bodies and drops the ones not yet sent."""

from __future__ import annotations

import pytest

from trainerhub.clients import services as client_services
from trainerhub.core.tests.factories import local_at, make_booking, make_client
from trainerhub.webhooks import delivery
from trainerhub.webhooks.models import Delivery

pytestmark = pytest.mark.django_db


def test_erase_scrubs_sent_payloads_and_drops_pending_ones(alice, endpoint, receiver):
    zeb = make_client(alice, "Zeb", last_name="Zimmer", email="zeb@example.com")
    delivery.deliver_due()  # client.created is sent
    make_booking(zeb, local_at(alice, 3, "10:00"))  # booking.created waits
    other = make_client(alice, "Olga", email="olga@example.com")
    client_services.client_erase(client=zeb, confirm="Zeb Zimmer")
    rows = Delivery.objects.filter(client_id=zeb.pk)
    # Cancelling the erased client's booking and scrubbing their record write no new copies.
    assert [r.status for r in rows] == [Delivery.Status.DELIVERED]
    (sent,) = rows
    assert sent.payload["data"] == {"erased": True}
    assert sent.payload["type"] == "client.created" and sent.payload["version"] == 1
    text = str(list(Delivery.objects.values_list("payload", flat=True)))
    assert "Zimmer" not in text and "zeb@example.com" not in text
    # Someone else's deliveries stay as they were.
    assert Delivery.objects.get(client_id=other.pk).payload["data"]["email"] == "olga@example.com"
