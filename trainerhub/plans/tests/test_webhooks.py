"""Paddle's webhook: the signature (valid, rotated, invalid, stale), each event once, events
in any order, the payment row, and a lapsed subscription's grace."""

from __future__ import annotations

import hashlib
import hmac
import time
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from trainerhub.core.errors import Conflict
from trainerhub.core.tests.factories import make_booking, make_client, make_service
from trainerhub.plans import services
from trainerhub.plans.models import PaddleEvent, Subscription, SubscriptionPayment
from trainerhub.plans.tests.conftest import SECRET, event, post_event, sign, subscription_data


@pytest.fixture
def created(alice, plans_on, pro_plan):
    return event(
        "subscription.created",
        subscription_data(alice.pk),
        event_id="evt_1",
        occurred_at="2026-12-01T10:00:00Z",
    )


def test_a_signed_event_creates_the_subscription(client, alice, created, pro_plan):
    response = post_event(client, created)
    assert response.status_code == 200
    sub = Subscription.objects.get(trainer=alice)
    assert (sub.status, sub.plan, sub.paddle_subscription_id) == ("active", pro_plan, "sub_1")
    assert sub.current_period_end.isoformat() == "2027-01-01T00:00:00+00:00"
    assert sub.grace_until is None


def test_rotation_two_h1_values_one_of_them_good(client, alice, created):
    ts = int(time.time())
    good = sign(created, ts=ts).split("h1=")[1]
    old = hmac.new(b"old-secret", f"{ts}:".encode() + created, hashlib.sha256).hexdigest()
    response = post_event(client, created, f"ts={ts};h1={old};h1={good}")
    assert response.status_code == 200
    assert Subscription.objects.filter(trainer=alice).exists()


def test_rotation_of_our_secret_accepts_either(client, alice, created, plans_on):
    plans_on.PADDLE_WEBHOOK_SECRET = f"new-secret,{SECRET}"
    assert post_event(client, created).status_code == 200


@pytest.mark.parametrize(
    "header",
    [
        "",
        "ts=abc;h1=00",
        "ts={now};h1=" + "0" * 64,
        "ts={stale};h1={stale_sig}",
    ],
    ids=["missing", "malformed", "bad", "stale"],
)
def test_bad_or_stale_signature_is_a_400_and_changes_nothing(client, created, header):
    now = int(time.time())
    stale = now - 301
    stale_sig = sign(created, ts=stale).split("h1=")[1]
    header = header.format(now=now, stale=stale, stale_sig=stale_sig)
    response = post_event(client, created, header)
    assert response.status_code == 400
    assert not Subscription.objects.exists()
    assert not PaddleEvent.objects.exists()


def test_a_body_changed_after_signing_is_refused(client, created):
    header = sign(created)
    response = post_event(client, created.replace(b"active", b"paused"), header)
    assert response.status_code == 400
    assert not Subscription.objects.exists()


def test_webhook_is_hidden_while_plans_are_off(client, created, settings):
    settings.PLANS_ENABLED = False
    assert post_event(client, created).status_code == 404


def test_the_same_event_ten_times_acts_once(client, alice, created):
    answers = [post_event(client, created).json()["duplicate"] for _ in range(10)]
    assert answers == [False] + [True] * 9
    assert PaddleEvent.objects.count() == 1
    assert Subscription.objects.count() == 1


def _send(client, kind, data, n, at):
    body = event(kind, data, event_id=f"evt_{n}", occurred_at=at)
    assert post_event(client, body).status_code == 200


def test_each_subscription_event(client, alice, plans_on, pro_plan):
    _send(client, "subscription.created", subscription_data(alice.pk), 1, "2026-12-01T10:00:00Z")
    _send(
        client,
        "subscription.past_due",
        subscription_data(alice.pk, "past_due"),
        2,
        "2026-12-02T10:00:00Z",
    )
    sub = Subscription.objects.get(trainer=alice)
    assert sub.status == "past_due"
    assert sub.grace_until.isoformat() == "2026-12-09T10:00:00+00:00"
    # A second past-due notice does not move the date the trainer was told.
    _send(
        client,
        "subscription.updated",
        subscription_data(alice.pk, "past_due"),
        3,
        "2026-12-03T10:00:00Z",
    )
    sub.refresh_from_db()
    assert sub.grace_until.isoformat() == "2026-12-09T10:00:00+00:00"
    _send(client, "subscription.updated", subscription_data(alice.pk), 4, "2026-12-04T10:00:00Z")
    sub.refresh_from_db()
    assert (sub.status, sub.grace_until) == ("active", None)
    _send(
        client,
        "subscription.canceled",
        subscription_data(alice.pk, "canceled"),
        5,
        "2026-12-20T00:00:00Z",
    )
    sub.refresh_from_db()
    assert sub.status == "canceled"
    assert sub.canceled_at.isoformat() == "2026-12-20T00:00:00+00:00"


def test_an_older_event_arriving_late_changes_nothing(client, alice, plans_on, pro_plan):
    _send(client, "subscription.updated", subscription_data(alice.pk), 2, "2026-12-05T10:00:00Z")
    _send(
        client,
        "subscription.created",
        subscription_data(alice.pk, "past_due"),
        1,
        "2026-12-01T10:00:00Z",
    )
    assert Subscription.objects.get(trainer=alice).status == "active"


def test_an_event_for_nobody_we_know_is_stored_and_ignored(client, alice, plans_on, pro_plan):
    data = subscription_data(alice.pk)
    data["custom_data"] = {"trainer_id": "999999"}
    _send(client, "subscription.created", data, 1, "2026-12-01T10:00:00Z")
    assert not Subscription.objects.exists()
    assert PaddleEvent.objects.get().outcome.startswith("ignored")


def test_transaction_completed_records_one_payment(client, alice, plans_on, pro_plan):
    _send(client, "subscription.created", subscription_data(alice.pk), 1, "2026-12-01T10:00:00Z")
    data = {
        "id": "txn_1",
        "status": "completed",
        "subscription_id": "sub_1",
        "currency_code": "EUR",
        "billed_at": "2026-12-01T10:00:05Z",
        "invoice_number": "325-10566",
        "details": {"totals": {"total": "2900", "grand_total": "2900"}},
    }
    _send(client, "transaction.completed", data, 2, "2026-12-01T10:00:06Z")
    _send(client, "transaction.completed", data, 3, "2026-12-01T10:00:07Z")  # Paddle resent it
    payment = SubscriptionPayment.objects.get()
    assert (payment.trainer, payment.amount, payment.currency) == (alice, Decimal("29.00"), "EUR")
    assert payment.invoice_number == "325-10566"


def test_a_lapsed_trainer_keeps_reads_and_bookings_until_grace_ends(
    client, alice, plans_on, pro_plan, time_machine
):
    alice_api = APIClient()
    alice_api.force_authenticate(alice)
    time_machine.move_to(timezone.now(), tick=False)
    _send(client, "subscription.created", subscription_data(alice.pk), 0, "2026-01-01T00:00:00Z")
    service = make_service(alice)
    customer = make_client(alice)
    start = timezone.now().replace(minute=0, second=0, microsecond=0) + timedelta(days=20)
    kept = make_booking(customer, start, service=service)
    now = timezone.now().replace(microsecond=0)
    _send(
        client,
        "subscription.past_due",
        subscription_data(alice.pk, "past_due"),
        1,
        now.isoformat().replace("+00:00", "Z"),
    )
    make_booking(customer, start + timedelta(hours=2), service=service)  # still in grace
    client.force_login(alice)
    page = client.get("/plans/").content.decode()
    assert "New bookings stop on" in page
    time_machine.move_to(now + timedelta(days=7, seconds=1), tick=False)
    with pytest.raises(Conflict) as refused:
        make_booking(customer, start + timedelta(hours=4), service=service)
    assert refused.value.extra["limit"] == "bookings_per_month"
    assert "grace period ended" in refused.value.detail
    # Reads go on: the booking stays, the API reads it, the banner says why.
    assert alice_api.get(f"/api/v1/bookings/{kept.pk}/").status_code == 200
    assert "New bookings are paused" in client.get("/plans/").content.decode()
    state = alice_api.get("/api/v1/subscription").json()
    assert state["bookings_stopped"] is True
    assert services.feature_enabled(alice, "sms") is True
