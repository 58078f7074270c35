"""The webhooks API: endpoints CRUD, test event, deliveries list; another trainer's is a 404."""

from __future__ import annotations

import pytest
from django.db import connection

from trainerhub.core.tests.factories import make_client
from trainerhub.webhooks import services
from trainerhub.webhooks.models import Delivery, Endpoint

pytestmark = pytest.mark.django_db

ENDPOINTS = "/api/v1/webhooks/endpoints"
DELIVERIES = "/api/v1/webhooks/deliveries"


def test_create_answers_the_secret_once(alice_api, receiver):
    body = {"url": receiver.url, "events": ["booking.created", "client.created"]}
    response = alice_api.post(ENDPOINTS, body, format="json")
    assert response.status_code == 201
    created = response.json()
    assert created["secret"].startswith("whsec_")
    assert created["events"] == ["booking.created", "client.created"]
    assert created["enabled"] is True and created["failure_count"] == 0
    shown = alice_api.get(f"{ENDPOINTS}/{created['id']}").json()
    assert "secret" not in shown
    listed = alice_api.get(ENDPOINTS).json()["results"]
    assert [e["id"] for e in listed] == [created["id"]]
    assert "secret" not in listed[0]
    # Stored encrypted: the column does not hold the secret as written.
    with connection.cursor() as cursor:
        cursor.execute("SELECT secret FROM webhooks_endpoint")
        (raw,) = cursor.fetchone()
    assert created["secret"] not in raw


@pytest.mark.parametrize(
    ("body", "fields"),
    [
        ({"url": "ftp://example.com/x", "events": ["booking.created"]}, ["url"]),
        ({"url": "http://127.0.0.1/x", "events": ["nope"]}, ["events"]),
        ({"url": "http://127.0.0.1/x", "events": []}, ["events"]),
        ({"events": ["booking.created"]}, ["url"]),
        ({"url": 12, "events": "booking.created"}, ["events"]),
    ],
)
def test_bad_input_is_a_400_with_field_messages(alice_api, body, fields):
    response = alice_api.post(ENDPOINTS, body, format="json")
    assert response.status_code == 400
    assert set(fields) <= set(response.json())
    assert not Endpoint.objects.exists()


def test_a_private_address_is_refused_in_production(alice_api, settings):
    settings.WEBHOOKS_ALLOW_PRIVATE = False
    body = {"url": "http://169.254.169.254/latest", "events": ["booking.created"]}
    response = alice_api.post(ENDPOINTS, body, format="json")
    assert response.status_code == 400
    assert "private, loopback or link-local" in response.json()["url"][0]


def test_patch_and_delete(alice_api, endpoint):
    url = f"{ENDPOINTS}/{endpoint.pk}"
    response = alice_api.patch(url, {"events": ["client.updated"], "enabled": False}, format="json")
    assert response.status_code == 200
    assert response.json()["events"] == ["client.updated"]
    assert response.json()["enabled"] is False
    assert alice_api.delete(url).status_code == 204
    assert not Endpoint.objects.exists()


def test_another_trainers_endpoint_is_a_404(bob_api, endpoint):
    url = f"{ENDPOINTS}/{endpoint.pk}"
    assert bob_api.get(url).status_code == 404
    assert bob_api.patch(url, {"enabled": False}, format="json").status_code == 404
    assert bob_api.delete(url).status_code == 404
    assert bob_api.post(f"{url}/test").status_code == 404
    assert bob_api.post(f"{url}/rotate-secret").status_code == 404
    assert bob_api.get(ENDPOINTS).json()["results"] == []


def test_the_test_event_is_delivered_and_listed(alice_api, endpoint, receiver):
    response = alice_api.post(f"{ENDPOINTS}/{endpoint.pk}/test")
    assert response.status_code == 201
    assert response.json()["status"] == "delivered"
    assert response.json()["last_status_code"] == 200
    assert len(receiver.requests) == 1
    listed = alice_api.get(DELIVERIES, {"endpoint": endpoint.pk}).json()["results"]
    assert [d["event"] for d in listed] == ["webhook.test"]


def test_deliveries_are_the_trainers_own(alice, bob, alice_api, bob_api, endpoint, receiver):
    make_client(alice)
    (row,) = Delivery.objects.all()
    assert alice_api.get(f"{DELIVERIES}/{row.pk}").json()["payload"]["version"] == 1
    assert bob_api.get(f"{DELIVERIES}/{row.pk}").status_code == 404
    assert bob_api.get(DELIVERIES).json()["results"] == []
    assert bob_api.get(DELIVERIES, {"endpoint": endpoint.pk}).json()["results"] == []
    assert alice_api.get(DELIVERIES, {"endpoint": "abc"}).status_code == 404


def test_rotating_the_secret_answers_the_new_one(alice_api, endpoint):
    old = endpoint.secret
    response = alice_api.post(f"{ENDPOINTS}/{endpoint.pk}/rotate-secret")
    assert response.status_code == 200
    assert response.json()["secret"] != old
    endpoint.refresh_from_db()
    assert endpoint.secret == response.json()["secret"]


def test_anonymous_callers_are_refused(anon_api, endpoint):
    assert anon_api.get(ENDPOINTS).status_code == 401
    assert anon_api.get(DELIVERIES).status_code == 401


def test_reenabling_clears_the_failures(alice, endpoint):
    services.endpoint_update(endpoint=endpoint, enabled=False)
    Endpoint.objects.filter(pk=endpoint.pk).update(failure_count=9, disabled_reason="x")
    endpoint.refresh_from_db()
    row = services.endpoint_update(endpoint=endpoint, enabled=True)
    assert (row.enabled, row.failure_count, row.disabled_reason) == (True, 0, "")
