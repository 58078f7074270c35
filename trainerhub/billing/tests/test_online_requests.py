"""A paid booking of a service the trainer confirms: once paid, the client hears "request
received, paid, awaiting confirmation" (never a confirmation), the trainer is asked; declining
refunds everything paid, whatever the refund policy; confirming confirms."""

from __future__ import annotations

from decimal import Decimal

import pytest

from trainerhub.billing.models import Payment, RefundRequest, StripeAccount
from trainerhub.billing.tests.online_helpers import (
    book,
    completed,
    deposit_service,
    online_of,
    post_event,
)
from trainerhub.notifications.dispatcher import dispatch_due
from trainerhub.notifications.models import Kind, Notification
from trainerhub.scheduling.models import Booking
from trainerhub.scheduling.services import booking_confirm

pytestmark = pytest.mark.django_db


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def paid_request(anon_api, alice_stripe, alice, hours):
    """A request for the 80.00 service with its 20.00 deposit paid online."""
    service = deposit_service(alice, requires_confirmation=True)
    online = online_of(book(anon_api, service, days=3))
    assert online.booking.status == "pending_payment"
    post_event(anon_api, "checkout.session.completed", completed(alice_stripe, online))
    return Booking.objects.get(pk=online.booking_id)


def kinds(booking: Booking) -> list[tuple[str, str]]:
    rows = Notification.objects.filter(booking=booking).exclude(channel="inapp")
    return sorted(rows.values_list("kind", "recipient"))


def test_paid_request_is_told_as_received_and_paid_not_confirmed(paid_request, alice, mailoutbox):
    assert paid_request.status == "pending"
    assert kinds(paid_request) == [
        (Kind.REQUEST_RECEIVED, "client"),
        (Kind.TRAINER_PENDING_REQUEST, "trainer"),
    ]
    assert Notification.objects.filter(kind=Kind.PAYMENT_RECEIPT).count() == 1

    dispatch_due()

    [to_client] = [m for m in mailoutbox if m.subject.startswith("Request received")]
    assert to_client.subject.startswith("Request received and paid: ")
    assert "your payment of 20.00 GBP" in to_client.body
    assert "This is not a confirmation yet" in to_client.body
    assert "refunded in full" in to_client.body
    assert not any(m.subject.startswith("Confirmed") for m in mailoutbox)
    [to_trainer] = [m for m in mailoutbox if m.to == [alice.email]]
    assert "They paid 20.00 GBP online; declining refunds it in full." in to_trainer.body


def test_the_same_payment_told_again_tells_nothing_more(paid_request, anon_api, alice_stripe):
    from trainerhub.billing.models import OnlinePayment

    online = OnlinePayment.objects.get(booking=paid_request)
    session = alice_stripe.sessions[online.session_id]
    post_event(anon_api, "checkout.session.completed", session)
    assert kinds(paid_request) == [
        (Kind.REQUEST_RECEIVED, "client"),
        (Kind.TRAINER_PENDING_REQUEST, "trainer"),
    ]


def test_declining_refunds_in_full_whatever_the_policy(
    paid_request, alice, alice_api, alice_stripe, committed
):
    # Deposits not refundable, nothing back for late cancellations: a decline still gives
    # everything back (the client never had the session).
    StripeAccount.objects.filter(trainer=alice).update(
        deposit_refundable=False, late_refund_percent=0
    )
    with committed():
        answer = alice_api.post(
            f"/api/v1/bookings/{paid_request.pk}/decline", {"message": "Away"}, format="json"
        )

    assert answer.status_code == 200, answer.content
    [request] = RefundRequest.objects.all()
    assert (request.amount, request.state) == (Decimal("20.00"), "done")
    [post] = alice_stripe.posts("/v1/refunds")
    assert post["form"]["amount"] == "2000"
    refund = Payment.objects.get(booking=paid_request, amount__lt=0)
    assert refund.amount == Decimal("-20.00")
    assert Notification.objects.filter(kind=Kind.REFUND_RECEIPT).count() == 1
    assert Notification.objects.filter(kind=Kind.REQUEST_DECLINED).count() == 1


def test_confirming_confirms_and_refunds_nothing(paid_request, alice_stripe, committed):
    with committed():
        booking_confirm(booking=paid_request, actor="trainer")

    assert Booking.objects.get(pk=paid_request.pk).status == "confirmed"
    assert Notification.objects.filter(kind=Kind.BOOKING_CONFIRMED).count() == 1
    assert alice_stripe.posts("/v1/refunds") == []


def test_the_return_page_says_the_request_is_paid(paid_request, client):
    page = client.get(f"/book/alice/booked/{paid_request.manage_token}/").content.decode()
    assert "Request sent" in page
    assert "Your payment of 20.00 GBP has arrived." in page
    assert "refunded in full" in page and "You're booked!" not in page
