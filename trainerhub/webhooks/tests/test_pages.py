"""The webhooks settings pages: add an endpoint, its log, the test button; 404 for others."""

from __future__ import annotations

import pytest

from trainerhub.core.tests.factories import make_client
from trainerhub.webhooks.models import Delivery, Endpoint

pytestmark = pytest.mark.django_db


@pytest.fixture
def alice_web(client, alice):
    client.force_login(alice)
    return client


@pytest.fixture
def bob_web(client, bob):
    client.force_login(bob)
    return client


def test_adding_an_endpoint_shows_its_secret_once(alice_web, receiver):
    response = alice_web.post(
        "/webhooks/", {"url": receiver.url, "events": ["booking.created"], "description": "Zap"}
    )
    assert response.status_code == 200
    endpoint = Endpoint.objects.get()
    assert endpoint.secret.encode() in response.content
    page = alice_web.get(f"/webhooks/{endpoint.pk}/")
    assert endpoint.secret.encode() not in page.content
    assert b"Send test event" in page.content


def test_a_bad_url_is_a_field_message(alice_web, settings):
    settings.WEBHOOKS_ALLOW_PRIVATE = False
    response = alice_web.post(
        "/webhooks/", {"url": "http://10.0.0.1/hook", "events": ["booking.created"]}
    )
    assert response.status_code == 400
    assert b"private, loopback or link-local" in response.content
    assert not Endpoint.objects.exists()


def test_the_test_button_delivers_and_the_log_shows_it(alice_web, endpoint, receiver):
    response = alice_web.post(f"/webhooks/{endpoint.pk}/test/", follow=True)
    assert b"Test event delivered (HTTP 200)" in response.content
    assert b"webhook.test" in response.content
    assert len(receiver.requests) == 1


def test_a_failing_test_says_why(alice_web, endpoint, receiver):
    receiver.answers = [500]
    response = alice_web.post(f"/webhooks/{endpoint.pk}/test/", follow=True)
    assert b"Test event not delivered: HTTP 500" in response.content


def test_the_log_lists_event_deliveries(alice, alice_web, endpoint):
    make_client(alice, "Chris")
    page = alice_web.get(f"/webhooks/{endpoint.pk}/")
    assert b"client.created" in page.content
    assert Delivery.objects.count() == 1


def test_editing_toggling_and_removing(alice_web, endpoint):
    url = f"/webhooks/{endpoint.pk}/"
    response = alice_web.post(url, {"url": endpoint.url, "events": ["client.updated"]})
    assert response.status_code == 302
    endpoint.refresh_from_db()
    assert endpoint.events == ["client.updated"]
    alice_web.post(f"{url}toggle/")
    endpoint.refresh_from_db()
    assert not endpoint.enabled
    alice_web.post(f"{url}delete/")
    assert not Endpoint.objects.exists()


def test_another_trainers_endpoint_is_a_404(bob_web, endpoint):
    for suffix in ("", "test/", "toggle/", "rotate-secret/", "delete/"):
        method = bob_web.get if suffix == "" else bob_web.post
        assert method(f"/webhooks/{endpoint.pk}/{suffix}").status_code == 404
    assert Endpoint.objects.filter(pk=endpoint.pk, enabled=True).exists()
