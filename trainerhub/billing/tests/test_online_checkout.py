"""Checkout and the webhook against the Stripe stand-in: the hold, the session's amount and
idempotency key, a signed event confirming once, bad signatures changing nothing, expiry."""

from __future__ import annotations

import time

import pytest

from trainerhub.billing.models import OnlinePayment, Payment, Receipt, StripeEvent
from trainerhub.billing.tests.online_helpers import (
    WEBHOOK,
    book,
    completed,
    deposit_service,
    online_of,
    post_event,
)
from trainerhub.billing.tests.stripe_server import DECLINED, SERVER_ERROR, event, sign
from trainerhub.notifications.models import Notification
from trainerhub.scheduling.models import Booking

pytestmark = pytest.mark.django_db


@pytest.fixture
def shoot(alice, hours):
    return deposit_service(alice)


def receipts_sent(kind: str = "payment_receipt") -> int:
    return Notification.objects.filter(kind=kind).count()


def test_booking_with_a_deposit_is_held_and_its_checkout_asks_for_the_deposit(
    anon_api, alice_stripe, shoot
):
    answer = book(anon_api, shoot)

    assert answer.status_code == 201, answer.content
    body = answer.json()
    assert body["booking"]["status"] == "pending_payment"
    assert body["payment"]["amount"] == "20.00"
    assert body["payment"]["currency"] == "GBP"
    online = online_of(answer)
    assert body["checkout_url"] == f"{alice_stripe.base}/pay/{online.session_id}"
    [create] = alice_stripe.posts("/v1/checkout/sessions")
    assert create["headers"]["idempotency-key"] == f"trainerhub-checkout-{online.pk}"
    assert create["form"]["mode"] == "payment"
    assert create["form"]["line_items[0][price_data][unit_amount]"] == "2000"
    assert create["form"]["line_items[0][price_data][currency]"] == "gbp"
    assert create["form"]["client_reference_id"] == str(online.pk)
    assert create["headers"]["authorization"] == "Bearer sk_test_alice_0123456789"
    # Held, not confirmed: no confirmation went out.
    assert not Notification.objects.filter(kind="booking_confirmed").exists()


def test_a_held_slot_is_taken(anon_api, alice_stripe, shoot):
    assert book(anon_api, shoot).status_code == 201
    again = book(anon_api, shoot, email="dave@example.com", first_name="Dave")
    assert again.status_code == 409
    assert again.json()["code"] == "slot_taken"


def test_without_keys_nothing_is_paid_online(anon_api, alice, stripe_host, shoot):
    answer = book(anon_api, shoot)
    assert answer.status_code == 201
    assert answer.json()["status"] == "confirmed"
    assert stripe_host.requests == []


def test_full_price_when_the_service_has_no_deposit(anon_api, alice_stripe, alice, hours):
    service = deposit_service(alice, deposit=None)
    answer = book(anon_api, service)
    assert answer.json()["payment"]["amount"] == "80.00"


def test_pay_at_session_without_deposit_is_not_held(anon_api, alice_stripe, alice, hours):
    service = deposit_service(alice, deposit=None, allow_pay_at_session=True)
    answer = book(anon_api, service, pay_at_session=True)
    assert answer.status_code == 201
    assert answer.json()["status"] == "confirmed"


def test_the_signed_event_confirms_records_and_sends_one_receipt(anon_api, alice_stripe, shoot):
    online = online_of(book(anon_api, shoot))

    answer = post_event(anon_api, "checkout.session.completed", completed(alice_stripe, online))

    assert answer.status_code == 200
    online.refresh_from_db()
    booking = Booking.objects.get(pk=online.booking_id)
    assert booking.status == "confirmed"
    [payment] = Payment.objects.filter(booking=booking)
    assert (payment.amount, payment.currency, payment.method) == (online.amount, "GBP", "online")
    assert payment.external_id == online.payment_intent != ""
    assert Receipt.objects.get(payment=payment).number.endswith("-0001")
    assert receipts_sent() == 1
    assert Notification.objects.filter(kind="booking_confirmed", booking=booking).count() == 1


def test_the_same_event_ten_times_changes_nothing_more(anon_api, alice_stripe, shoot):
    online = online_of(book(anon_api, shoot))
    session = completed(alice_stripe, online)
    for _ in range(10):
        assert (
            post_event(anon_api, "checkout.session.completed", session, event_id="evt_x")
        ).status_code == 200
    # A different event id telling the same payment (Stripe retries create new deliveries,
    # a second endpoint...) is settled once too.
    post_event(anon_api, "checkout.session.completed", session, event_id="evt_y")

    assert Payment.objects.filter(booking_id=online.booking_id).count() == 1
    assert receipts_sent() == 1
    assert StripeEvent.objects.count() == 2


@pytest.mark.parametrize("how", ["bad", "stale", "missing", "other_secret"])
def test_a_bad_or_stale_signature_is_400_and_changes_nothing(anon_api, alice_stripe, shoot, how):
    online = online_of(book(anon_api, shoot))
    body = event("evt_bad", "checkout.session.completed", completed(alice_stripe, online))
    header = {
        "bad": sign(body, "whsec_alice_0123456789")[:-4] + "0000",
        "stale": sign(body, "whsec_alice_0123456789", at=int(time.time()) - 301),
        "missing": "",
        "other_secret": sign(body, "whsec_someone_else"),
    }[how]

    answer = anon_api.post(
        WEBHOOK, data=body, content_type="application/json", HTTP_STRIPE_SIGNATURE=header
    )

    assert answer.status_code == 400
    assert StripeEvent.objects.count() == 0
    assert Payment.objects.count() == 0
    assert Booking.objects.get(pk=online.booking_id).status == "pending_payment"


def test_another_trainers_webhook_address_does_not_verify_alices_events(
    anon_api, alice_stripe, bob, shoot
):
    online = online_of(book(anon_api, shoot))
    body = event("evt_b", "checkout.session.completed", completed(alice_stripe, online))
    answer = anon_api.post(
        "/api/v1/webhooks/stripe/bob",
        data=body,
        content_type="application/json",
        HTTP_STRIPE_SIGNATURE=sign(body, "whsec_alice_0123456789"),
    )
    assert answer.status_code == 400
    assert Payment.objects.count() == 0


def test_expired_session_releases_the_hold_and_tells_the_client(anon_api, alice_stripe, shoot):
    online = online_of(book(anon_api, shoot))

    post_event(anon_api, "checkout.session.expired", alice_stripe.expire(online.session_id))

    booking = Booking.objects.get(pk=online.booking_id)
    assert booking.status == "cancelled"
    assert not booking.session.active
    assert Notification.objects.filter(kind="booking_cancelled", booking=booking).count() == 1
    # The time is free again.
    assert book(anon_api, shoot, email="dave@example.com").status_code == 201


def test_a_late_expired_event_after_payment_changes_nothing(anon_api, alice_stripe, shoot):
    online = online_of(book(anon_api, shoot))
    session = completed(alice_stripe, online)
    post_event(anon_api, "checkout.session.completed", session)
    post_event(anon_api, "checkout.session.expired", {**session, "status": "expired"})
    assert Booking.objects.get(pk=online.booking_id).status == "confirmed"


def test_stripe_500_on_create_is_retried_with_the_same_key(anon_api, alice_stripe, shoot):
    alice_stripe.fail("POST /v1/checkout/sessions", SERVER_ERROR)
    answer = book(anon_api, shoot)
    assert answer.status_code == 201
    creates = alice_stripe.posts("/v1/checkout/sessions")
    assert len(creates) == 2
    assert len({c["headers"]["idempotency-key"] for c in creates}) == 1
    assert len(alice_stripe.sessions) == 1


def test_a_refused_checkout_books_nothing(anon_api, alice_stripe, shoot):
    alice_stripe.fail("POST /v1/checkout/sessions", DECLINED)
    answer = book(anon_api, shoot)
    assert answer.status_code == 409
    assert answer.json()["code"] == "payment_unavailable"
    assert not Booking.objects.filter(status__in=Booking.HELD_STATUSES).exists()
    assert OnlinePayment.objects.get().state == "failed"
    assert book(anon_api, shoot).status_code == 201  # the time is free again
