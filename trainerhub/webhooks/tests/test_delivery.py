"""The worker sends deliveries signed to a local receiver, retries with backoff for 24 hours,
gives up, and disables an endpoint after repeated failures (emailing its trainer)."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from trainerhub.core import periodic
from trainerhub.core.tests.factories import make_client
from trainerhub.webhooks import delivery, services, signing
from trainerhub.webhooks.models import Delivery, Endpoint

pytestmark = pytest.mark.django_db


def _one(alice) -> Delivery:
    make_client(alice, "Chris", email="chris@example.com")
    return Delivery.objects.get()


def test_a_delivery_is_posted_signed_and_marked_delivered(alice, endpoint, receiver):
    row = _one(alice)
    assert delivery.deliver_due() == 1
    (request,) = receiver.requests
    assert request.path == "/hook"
    assert request.headers["Content-Type"] == "application/json"
    assert request.headers["X-TrainerHub-Event"] == "client.created"
    assert request.headers["X-TrainerHub-Delivery"] == str(row.event_id)
    header = request.headers["X-TrainerHub-Signature"]
    assert signing.verify(endpoint.secret, header, request.body)
    body = json.loads(request.body)
    assert body["version"] == 1 and body["type"] == "client.created"
    assert body["data"]["email"] == "chris@example.com"
    row.refresh_from_db()
    assert row.status == Delivery.Status.DELIVERED
    assert row.attempts == 1 and row.last_status_code == 200
    assert row.responses[0]["status_code"] == 200
    assert delivery.deliver_due() == 0  # nothing twice


def test_the_worker_runs_it_as_a_periodic_job(alice, endpoint, receiver):
    _one(alice)
    assert "webhooks.deliver_due" in periodic.names()
    assert periodic.run_one("webhooks.deliver_due") == 1
    assert len(receiver.requests) == 1


def test_a_failure_is_retried_with_exponential_backoff(alice, endpoint, receiver):
    row = _one(alice)
    receiver.answers = [500, 503, 200]
    t0 = timezone.now()
    assert delivery.deliver_due(now=t0) == 0
    row.refresh_from_db()
    assert row.status == Delivery.Status.PENDING
    assert row.next_attempt_at == t0 + timedelta(minutes=1)
    assert row.last_status_code == 500
    assert delivery.deliver_due(now=t0 + timedelta(seconds=30)) == 0  # not due yet
    assert len(receiver.requests) == 1
    t1 = t0 + timedelta(minutes=1)
    delivery.deliver_due(now=t1)
    row.refresh_from_db()
    assert row.next_attempt_at == t1 + timedelta(minutes=2)
    assert delivery.deliver_due(now=t1 + timedelta(minutes=2)) == 1
    row.refresh_from_db()
    assert row.status == Delivery.Status.DELIVERED
    assert [r["status_code"] for r in row.responses] == [500, 503, 200]
    endpoint.refresh_from_db()
    assert endpoint.failure_count == 0  # a success resets the count


def test_retries_stop_24_hours_after_the_event():
    created = timezone.now()
    assert delivery.next_attempt(created, 1, created) == created + timedelta(minutes=1)
    assert delivery.next_attempt(created, 5, created) == created + timedelta(minutes=16)
    late = created + timedelta(hours=23)
    # The backoff would pass the 24 hours: one last try at the mark.
    assert delivery.next_attempt(created, 11, late) == created + timedelta(hours=24)
    assert delivery.next_attempt(created, 12, created + timedelta(hours=24)) is None


def test_a_delivery_failing_for_24_hours_is_given_up(alice, endpoint, receiver):
    row = _one(alice)
    receiver.answers = [500] * 50
    moment = row.created_at
    for _ in range(20):
        delivery.deliver_due(now=moment)
        row.refresh_from_db()
        if row.status != Delivery.Status.PENDING:
            break
        moment = row.next_attempt_at
    assert row.status == Delivery.Status.FAILED
    assert moment == row.created_at + timedelta(hours=24)
    assert row.attempts == len(receiver.requests) == 12


def test_repeated_failures_disable_the_endpoint_and_email_the_trainer(
    alice, endpoint, receiver, django_capture_on_commit_callbacks
):
    receiver.answers = [500] * 50
    for i in range(delivery.DISABLE_AFTER):
        make_client(alice, f"Client{i}")
    with django_capture_on_commit_callbacks(execute=True):
        delivery.deliver_due()
    endpoint.refresh_from_db()
    assert not endpoint.enabled
    assert endpoint.failure_count == delivery.DISABLE_AFTER
    assert f"{delivery.DISABLE_AFTER} failed attempts in a row (last: HTTP 500)" in (
        endpoint.disabled_reason
    )
    (message,) = mail.outbox
    assert message.to == [alice.email]
    assert "turned off" in message.subject
    assert endpoint.url in message.body
    # Off means off: nothing more is sent, and new events are not written for it.
    requests = len(receiver.requests)
    delivery.deliver_due(now=timezone.now() + timedelta(hours=1))
    make_client(alice, "Later")
    assert len(receiver.requests) == requests
    assert not Delivery.objects.filter(payload__data__first_name="Later").exists()
    # Turned on again, its waiting deliveries go out.
    receiver.answers = []
    services.endpoint_update(endpoint=endpoint, enabled=True)
    assert delivery.deliver_due(now=timezone.now() + timedelta(hours=1)) == delivery.DISABLE_AFTER


def test_a_private_address_is_refused_at_send_time(alice, endpoint, receiver, settings):
    row = _one(alice)
    settings.WEBHOOKS_ALLOW_PRIVATE = False  # the name now points inside, say
    delivery.deliver_due()
    row.refresh_from_db()
    assert receiver.requests == []
    assert row.status == Delivery.Status.PENDING and row.last_status_code is None
    assert "private, loopback or link-local" in row.responses[0]["error"]


def test_a_redirect_is_not_followed(alice, endpoint, receiver):
    row = _one(alice)
    receiver.answers = [302]
    receiver.redirect_to = "http://169.254.169.254/latest/meta-data/"
    delivery.deliver_due()
    row.refresh_from_db()
    assert len(receiver.requests) == 1
    assert row.status == Delivery.Status.PENDING and row.last_status_code == 302


def test_a_receiver_that_is_down_is_an_attempt_without_status(alice, receiver):
    dead = services.endpoint_create(
        trainer=alice, url="http://127.0.0.1:9/hook", events=["client.created"]
    )
    make_client(alice)
    delivery.deliver_due()
    row = Delivery.objects.get(endpoint=dead)
    assert row.attempts == 1 and row.last_status_code is None
    assert row.responses[0]["error"]


def test_a_claimed_row_is_not_sent_by_a_second_worker(alice, endpoint, receiver):
    row = _one(alice)
    now = timezone.now()
    assert delivery._claim(row.pk, now)
    assert delivery.deliver_due(now=now) == 0
    assert receiver.requests == []
    # A claim that lapsed (its worker died) is taken over.
    assert delivery.deliver_due(now=now + delivery.LEASE + timedelta(seconds=1)) == 1


def test_the_test_event_is_sent_at_once(alice, endpoint, receiver):
    sent = delivery.send_now(services.test_event_write(endpoint=endpoint))
    assert sent.status == Delivery.Status.DELIVERED
    body = json.loads(receiver.requests[0].body)
    assert body["type"] == "webhook.test" and body["version"] == 1
    assert Endpoint.objects.get().failure_count == 0


def test_the_documented_python_check_verifies_a_real_delivery(alice, endpoint, receiver):
    from pathlib import Path

    from django.conf import settings

    doc = Path(settings.BASE_DIR, "docs", "webhooks.md").read_text()
    snippet = doc.split("```python\n", 1)[1].split("```", 1)[0]
    namespace: dict = {}
    exec(snippet, namespace)
    _one(alice)
    delivery.deliver_due()
    (request,) = receiver.requests
    header = request.headers["X-TrainerHub-Signature"]
    assert namespace["verify"](endpoint.secret, header, request.body)
    assert not namespace["verify"](endpoint.secret, header, request.body + b"x")
