"""Holds and events over time: the worker releases a hold whose checkout expired (once, also
with two workers), settles one paid while the webhook was lost, the return page settles it
too, and 100 events in shuffled order reach the same end state as in order."""

from __future__ import annotations

import random
import threading
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connections

from trainerhub.billing import online as online_payments
from trainerhub.billing.models import OnlinePayment, Payment, Receipt, StripeEvent
from trainerhub.billing.tests.online_helpers import (
    book,
    charge_refunded,
    completed,
    deposit_service,
    online_of,
    post_event,
)
from trainerhub.notifications.models import Notification
from trainerhub.scheduling.models import Booking, BookingEvent


@pytest.fixture
def shoot(alice, hours):
    return deposit_service(alice)


def after_hold(online: OnlinePayment):
    return online.hold_until + timedelta(minutes=2)


@pytest.mark.django_db
def test_the_worker_releases_an_expired_hold_once(anon_api, alice_stripe, shoot):
    online = online_of(book(anon_api, shoot))

    assert online_payments.holds_expire(now=online.hold_until) == 0  # not yet
    assert online_payments.holds_expire(now=after_hold(online)) == 1
    assert online_payments.holds_expire(now=after_hold(online)) == 0

    booking = Booking.objects.get(pk=online.booking_id)
    assert booking.status == "cancelled"
    assert alice_stripe.sessions[online.session_id]["status"] == "expired"
    assert len(alice_stripe.posts(f"/v1/checkout/sessions/{online.session_id}/expire")) == 1
    assert Notification.objects.filter(kind="booking_cancelled", booking=booking).count() == 1
    assert book(anon_api, shoot, email="dave@example.com").status_code == 201


@pytest.mark.django_db
def test_a_hold_paid_while_the_webhook_was_lost_is_settled_as_paid(anon_api, alice_stripe, shoot):
    online = online_of(book(anon_api, shoot))
    alice_stripe.pay(online.session_id)  # no webhook arrives

    online_payments.holds_expire(now=after_hold(online))

    assert Booking.objects.get(pk=online.booking_id).status == "confirmed"
    assert Payment.objects.filter(booking_id=online.booking_id).count() == 1


@pytest.mark.django_db
def test_the_return_page_settles_before_the_webhook(client, anon_api, alice_stripe, shoot):
    answer = book(anon_api, shoot)
    online = online_of(answer)
    alice_stripe.pay(online.session_id)
    token = answer.json()["booking"]["manage_token"]

    page = client.get(f"/book/alice/booked/{token}/")

    assert page.status_code == 200
    assert "booked" in page.content.decode()
    assert Booking.objects.get(pk=online.booking_id).status == "confirmed"
    # The webhook arriving afterwards changes nothing.
    post_event(anon_api, "checkout.session.completed", alice_stripe.sessions[online.session_id])
    assert Payment.objects.filter(booking_id=online.booking_id).count() == 1
    assert Receipt.objects.count() == 1


@pytest.mark.django_db
def test_the_page_of_a_hold_shows_it_waiting_never_booked(client, anon_api, alice_stripe, shoot):
    answer = book(anon_api, shoot)
    token = answer.json()["booking"]["manage_token"]
    page = client.get(f"/book/alice/booked/{token}/").content.decode()
    assert "Waiting for your payment" in page
    assert "You're booked" not in page
    assert answer.json()["checkout_url"] in page


@pytest.mark.django_db(transaction=True)
def test_two_workers_release_a_hold_once(anon_api, alice_stripe, shoot):
    online = online_of(book(anon_api, shoot))
    barrier = threading.Barrier(2)
    done: list[int] = []

    def worker() -> None:
        try:
            barrier.wait()
            done.append(online_payments.holds_expire(now=after_hold(online)))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    assert sorted(done) == [0, 1]
    booking = Booking.objects.get(pk=online.booking_id)
    assert booking.status == "cancelled"
    assert BookingEvent.objects.filter(booking=booking, kind="cancelled").count() == 1
    assert Notification.objects.filter(kind="booking_cancelled", booking=booking).count() == 1


def _end_state() -> tuple:
    bookings = tuple(Booking.objects.order_by("id").values_list("id", "status"))
    money = tuple(
        Payment.objects.order_by("booking_id", "amount").values_list("booking_id", "amount")
    )
    return bookings, money, Receipt.objects.count()


@pytest.mark.django_db
def test_a_hundred_events_in_shuffled_order_reach_the_same_end(anon_api, alice, alice_stripe):
    """12 bookings: 8 paid (3 of them then refunded in Stripe), 4 expired; every event
    delivered several times (100 in all), in order, then replayed shuffled on a copy of
    the same bookings: the same bookings, payments, refunds and receipts."""
    from trainerhub.billing.tests.online_helpers import make_service
    from trainerhub.portal.tests.conftest import open_every_day

    open_every_day(alice)
    ends = []
    for run, order in enumerate(("in order", "shuffled")):
        service = make_service(alice, name=f"Run {run}", price="40.00")
        events = []
        for i in range(12):
            online = online_of(book(anon_api, service, days=3 + run, hour=8 + i))
            if i < 8:
                session = completed(alice_stripe, online)
                events.append(("checkout.session.completed", session, f"{run}-c{i}"))
                if i < 3:
                    online.payment_intent = session["payment_intent"]
                    rid = f"re_{run}_{i}"
                    alice_stripe.refunds[rid] = {
                        "id": rid,
                        "amount": 1000,
                        "payment_intent": session["payment_intent"],
                        "status": "succeeded",
                    }
                    events.append(
                        ("charge.refunded", charge_refunded(alice_stripe, online), f"{run}-r{i}")
                    )
            else:
                events.append(
                    (
                        "checkout.session.expired",
                        alice_stripe.expire(online.session_id),
                        f"{run}-e{i}",
                    )
                )
        deliveries = [events[k % len(events)] for k in range(100)]
        if order == "shuffled":
            random.Random(13).shuffle(deliveries)
        else:
            deliveries.sort(key=lambda e: (e[0] == "charge.refunded", e[2]))
        for kind, obj, event_id in deliveries:
            assert post_event(anon_api, kind, obj, event_id=event_id).status_code == 200
        online_payments.events_retry()
        ends.append(_summary(service))
    assert ends[0] == ends[1]
    assert ends[0] == {
        "confirmed": 8,
        "cancelled": 4,
        "paid": Decimal("320.00"),
        "refunded": Decimal("30.00"),
        "receipts": 11,
    }
    assert not StripeEvent.objects.filter(processed_at__isnull=True).exists()


def _summary(service) -> dict:
    bookings = Booking.objects.filter(service=service)
    payments = Payment.objects.filter(booking__service=service)
    return {
        "confirmed": bookings.filter(status="confirmed").count(),
        "cancelled": bookings.filter(status="cancelled").count(),
        "paid": sum((p.amount for p in payments if p.amount > 0), Decimal("0")),
        "refunded": -sum((p.amount for p in payments if p.amount < 0), Decimal("0")),
        "receipts": Receipt.objects.filter(payment__booking__service=service).count(),
    }
