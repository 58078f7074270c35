"""Refunds of online payments: by policy on cancellation, by hand through the API, retried
by the worker when Stripe is unavailable (never twice), and those Stripe tells by webhook."""

from __future__ import annotations

from decimal import Decimal

import pytest

from trainerhub.billing import online as online_payments
from trainerhub.billing import refunds
from trainerhub.billing.models import Payment, RefundRequest, StripeAccount
from trainerhub.billing.tests.online_helpers import (
    book,
    charge_refunded,
    completed,
    deposit_service,
    online_of,
    post_event,
)
from trainerhub.billing.tests.stripe_server import RATE_LIMITED, SERVER_ERROR
from trainerhub.notifications.models import Notification
from trainerhub.portal import services as portal
from trainerhub.scheduling.models import Booking
from trainerhub.scheduling.services import booking_cancel, booking_reschedule

pytestmark = pytest.mark.django_db


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run the after-commit callbacks (a refund's first send) as a real commit would."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def paid(anon_api, alice_stripe, alice, hours):
    """A booking of the 80.00 service paid in full online, three days ahead."""
    service = deposit_service(alice, deposit=None)
    answer = book(anon_api, service, days=3)
    online = online_of(answer)
    post_event(anon_api, "checkout.session.completed", completed(alice_stripe, online))
    online.refresh_from_db()
    return online


def refunded(booking_id: int) -> Decimal:
    rows = Payment.objects.filter(booking_id=booking_id, amount__lt=0)
    return -sum((p.amount for p in rows), Decimal("0"))


def test_client_cancelling_in_time_gets_everything_back(committed, paid, alice_stripe, settings):
    booking = Booking.objects.get(pk=paid.booking_id)
    with committed():
        portal.client_cancel(booking=booking, reason="Ill")
    assert refunded(booking.pk) == Decimal("80.00")
    [post] = alice_stripe.posts("/v1/refunds")
    assert post["form"] == {"payment_intent": paid.payment_intent, "amount": "8000"}
    assert post["headers"]["idempotency-key"].startswith("trainerhub-refund-")
    assert Notification.objects.filter(kind="refund_receipt").count() == 1


def test_client_cancelling_late_gets_the_policys_percentage(committed, paid, alice, alice_stripe):
    StripeAccount.objects.filter(trainer=alice).update(late_refund_percent=25)
    booking = Booking.objects.get(pk=paid.booking_id)
    with committed():
        booking_cancel(booking=booking, actor="client", reason="Ill", late=True)
    assert refunded(booking.pk) == Decimal("20.00")


def test_late_with_no_refund_policy_gives_nothing_back(committed, paid, alice_stripe):
    booking = Booking.objects.get(pk=paid.booking_id)
    with committed():
        booking_cancel(booking=booking, actor="client", reason="Ill", late=True)
    assert refunded(booking.pk) == 0
    assert alice_stripe.posts("/v1/refunds") == []


def test_a_deposit_that_is_not_refundable_is_kept(committed, anon_api, alice, alice_stripe, hours):
    StripeAccount.objects.filter(trainer=alice).update(deposit_refundable=False)
    online = online_of(book(anon_api, deposit_service(alice), days=3))
    post_event(anon_api, "checkout.session.completed", completed(alice_stripe, online))
    with committed():
        booking_cancel(booking=online.booking, actor="client", reason="Ill")
    assert refunded(online.booking_id) == 0


def test_the_trainer_cancelling_refunds_everything(committed, paid, alice, alice_stripe):
    StripeAccount.objects.filter(trainer=alice).update(late_refund_percent=0)
    with committed():
        booking_cancel(booking=paid.booking, actor="trainer", late=True)
    assert refunded(paid.booking_id) == Decimal("80.00")


def test_manual_partial_refund_then_too_large_then_already_refunded(paid, alice_api):
    url = f"/api/v1/bookings/{paid.booking_id}/refund"

    first = alice_api.post(url, {"amount": "30.00"}, format="json")
    assert first.status_code == 202, first.content
    assert first.json()[0]["state"] == "done"
    too_much = alice_api.post(url, {"amount": "50.01"}, format="json")
    assert (too_much.status_code, too_much.json()["code"]) == (409, "refund_too_large")
    rest = alice_api.post(url, {}, format="json")
    assert rest.json()[0]["amount"] == "50.00"
    again = alice_api.post(url, {}, format="json")
    assert (again.status_code, again.json()["code"]) == (409, "already_refunded")
    assert refunded(paid.booking_id) == Decimal("80.00")


def test_another_trainers_booking_is_404(paid, bob_api):
    answer = bob_api.post(f"/api/v1/bookings/{paid.booking_id}/refund", {}, format="json")
    assert answer.status_code == 404
    assert RefundRequest.objects.count() == 0


@pytest.mark.parametrize("failure", [SERVER_ERROR, RATE_LIMITED])
def test_stripe_unavailable_the_worker_retries_and_refunds_once(
    paid, alice_api, alice_stripe, failure
):
    alice_stripe.fail("POST /v1/refunds", failure, failure, failure, failure)
    answer = alice_api.post(f"/api/v1/bookings/{paid.booking_id}/refund", {}, format="json")
    [request] = answer.json()
    assert request["state"] == "pending" and request["attempts"] == 1
    assert refunded(paid.booking_id) == 0

    from datetime import timedelta

    from django.utils import timezone

    later = timezone.now() + timedelta(hours=3)
    while RefundRequest.objects.get().state == "pending":
        refunds.refunds_due(now=later)
        later += timedelta(hours=3)
    # Every attempt carried the same key; Stripe (the stand-in) refunded once.
    keys = {p["headers"]["idempotency-key"] for p in alice_stripe.posts("/v1/refunds")}
    assert len(keys) == 1
    assert len(alice_stripe.refunds) == 1
    assert refunded(paid.booking_id) == Decimal("80.00")
    refunds.refunds_due(now=later)
    assert len(alice_stripe.refunds) == 1


def test_a_refund_sent_twice_with_its_key_is_recorded_once(paid, alice_stripe):
    [request] = refunds.refund_booking(booking=paid.booking, amount="10.00")
    refunds.refund_send(request_id=request.pk)
    RefundRequest.objects.filter(pk=request.pk).update(state="pending")  # as if a crash
    refunds.refund_send(request_id=request.pk)
    assert len(alice_stripe.refunds) == 1
    assert refunded(paid.booking_id) == Decimal("10.00")


def test_charge_refunded_after_our_refund_changes_nothing(paid, anon_api, alice_stripe):
    [request] = refunds.refund_booking(booking=paid.booking, amount="10.00")
    refunds.refund_send(request_id=request.pk)
    post_event(anon_api, "charge.refunded", charge_refunded(alice_stripe, paid))
    post_event(anon_api, "charge.refunded", charge_refunded(alice_stripe, paid))
    assert refunded(paid.booking_id) == Decimal("10.00")
    assert Notification.objects.filter(kind="refund_receipt").count() == 1


def test_charge_refunded_in_stripes_dashboard_is_recorded(paid, anon_api, alice_stripe):
    alice_stripe.refunds["re_dash"] = {
        "id": "re_dash",
        "object": "refund",
        "amount": 2500,
        "payment_intent": paid.payment_intent,
        "status": "succeeded",
    }
    post_event(anon_api, "charge.refunded", charge_refunded(alice_stripe, paid))
    assert refunded(paid.booking_id) == Decimal("25.00")


def test_rescheduling_a_paid_booking_asks_for_nothing(paid, alice_stripe):
    from trainerhub.billing.tests.online_helpers import day_at

    sessions_before = len(alice_stripe.sessions)
    moved = booking_reschedule(booking=paid.booking, start=day_at(4, 11), actor="client")
    assert moved.status == "confirmed"
    assert len(alice_stripe.sessions) == sessions_before
    assert online_payments.online_for_booking(moved).state == "paid"
