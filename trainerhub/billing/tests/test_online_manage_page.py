"""The client's own booking page (the private manage link) says what was paid online and
what came back: refunded, or on its way while Stripe is unavailable."""

from __future__ import annotations

import pytest
from django.test import Client as WebClient

from trainerhub.billing.tests.stripe_server import SERVER_ERROR
from trainerhub.billing.tests.test_online_refunds import committed, paid  # noqa: F401
from trainerhub.scheduling.models import Booking

pytestmark = pytest.mark.django_db


def manage_page(booking: Booking) -> str:
    return WebClient().get(f"/manage/{booking.manage_token}/").content.decode()


def test_the_page_shows_the_payment_then_the_refund(paid, committed):  # noqa: F811
    booking = Booking.objects.get(pk=paid.booking_id)
    page = manage_page(booking)
    assert '<dd id="paid-online">80.00 GBP</dd>' in page and 'id="refunded"' not in page

    with committed():
        answer = WebClient().post(
            f"/manage/{booking.manage_token}/cancel/", {"reason_choice": "I am unwell"}
        )

    assert answer.status_code == 302
    page = manage_page(booking)
    assert '<dd id="refunded">80.00 GBP</dd>' in page
    assert "Your refund receipt comes by email." in page


def test_a_refund_waiting_for_stripe_is_shown_on_its_way(paid, committed, alice_stripe):  # noqa: F811
    alice_stripe.fail("POST /v1/refunds", *[SERVER_ERROR] * 4)
    booking = Booking.objects.get(pk=paid.booking_id)
    with committed():
        answer = WebClient().post(
            f"/manage/{booking.manage_token}/cancel/", {"reason_choice": "I am unwell"}
        )

    assert answer.status_code == 302
    page = manage_page(booking)
    assert '<dd id="refund-pending">80.00 GBP</dd>' in page and 'id="refunded"' not in page


def test_a_booking_paid_at_the_session_shows_no_online_payment(client, alice, hours):
    from trainerhub.billing.tests.online_helpers import deposit_service
    from trainerhub.core.tests.factories import make_booking, make_client
    from trainerhub.portal.tests.conftest import day_at

    booking = make_booking(make_client(alice), day_at(3, 10), service=deposit_service(alice))
    assert 'id="paid-online"' not in manage_page(booking)
