"""Book with a deposit on the public page in headless Chromium, pay on the Stripe stand-in's
checkout page, land on the confirmation (held as pending_payment until then). The refund of
a cancellation is tested below the browser (billing/tests/test_online_refunds.py)."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest

from trainerhub.billing import online
from trainerhub.billing.models import Payment
from trainerhub.billing.tests.conftest import SECRET_KEY, WEBHOOK_SECRET
from trainerhub.billing.tests.stripe_server import StripeHost, start
from trainerhub.portal.tests.conftest import make_service, open_every_day
from trainerhub.scheduling.models import Booking

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def stripe_host(settings) -> Iterator[StripeHost]:
    logging.getLogger("stripe").setLevel(logging.WARNING)
    host = StripeHost()
    server = start(host)
    settings.STRIPE_API_BASE = host.base
    yield host
    server.shutdown()
    server.server_close()


def test_book_with_a_deposit_pay_online_and_land_on_the_confirmation(
    page: Any, settings, alice, stripe_host
):
    settings.PORTAL_MIN_FILL_SECONDS = 1
    open_every_day(alice)
    make_service(
        alice, name="Shoot", price="80.00", deposit_kind="amount", deposit_value=Decimal("20")
    )
    online.settings_update(trainer=alice, secret_key=SECRET_KEY, webhook_secret=WEBHOOK_SECRET)
    page.set_default_timeout(60_000)  # the shared machine can be slow; the steps are few

    page.goto(f"{page.base}/book/alice/")
    page.get_by_role("link", name="Choose Shoot").click()
    page.locator("[data-time]").first.click()
    page.get_by_label("First name").fill("Vera")
    page.get_by_label("Last name").fill("Visitor")
    page.get_by_label("Email").fill("vera@example.com")
    page.get_by_label("Phone").fill("+44 7911 123456")
    page.wait_for_timeout(1200)
    page.get_by_role("button", name="Review booking").click()
    page.get_by_role("button", name="Confirm booking").click()

    # Stripe's (stand-in) checkout asks for the deposit; the booking is only held meanwhile.
    page.get_by_role("heading", name="Pay 20.00 GBP").wait_for()
    assert Booking.objects.get().status == "pending_payment"
    page.get_by_role("button", name="Pay").click()

    page.get_by_role("heading", name="You're booked!").wait_for()
    booking = Booking.objects.get()
    assert booking.status == "confirmed"
    assert [p.amount for p in Payment.objects.filter(booking=booking)] == [Decimal("20.00")]
