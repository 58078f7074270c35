"""Book with a deposit on the public page in headless Chromium, pay on the Stripe stand-in's
checkout page, land on the confirmation (held as pending_payment until then); cancel in time
through the manage link and see the refund of the deposit on the booking's page.

Nothing here waits for the worker: the return page asks Stripe (the stand-in) for the
session's state, and a cancellation's refund is sent right after its transaction commits
(billing.refunds), each in the live server's own request. The receipts only wait in the
outbox. (Waiting for a webhook would time out: the stand-in sends none.)"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from datetime import timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

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


def take_first_time_and_confirm(scope: Any, first_name: str, email: str) -> None:
    """On the day's times (a page or a frame): take the first, fill in, review, confirm."""
    scope.locator("[data-time]").first.click()
    scope.get_by_label("First name").fill(first_name)
    scope.get_by_label("Last name").fill("Visitor")
    scope.get_by_label("Email").fill(email)
    # A person takes a moment (the form refuses bots below PORTAL_MIN_FILL_SECONDS).
    scope.locator("body").evaluate("() => new Promise(r => setTimeout(r, 1200))")
    scope.get_by_role("button", name="Review booking").click()
    scope.get_by_role("button", name="Confirm booking").click()


def test_book_with_a_deposit_pay_cancel_in_time_and_see_the_refund(
    page: Any, settings, alice, stripe_host
):
    settings.PORTAL_MIN_FILL_SECONDS = 1
    open_every_day(alice)
    shoot = make_service(
        alice, name="Shoot", price="80.00", deposit_kind="amount", deposit_value=Decimal("20")
    )
    online.settings_update(trainer=alice, secret_key=SECRET_KEY, webhook_secret=WEBHOOK_SECRET)
    page.set_default_timeout(60_000)  # the shared machine can be slow; the steps are few

    # Three days ahead: far outside the free-cancellation window (24 hours).
    day = (timezone.now().astimezone(ZoneInfo("Europe/London")) + timedelta(days=3)).date()
    page.goto(f"{page.base}/book/alice/?service={shoot.pk}&date={day}&tz=Europe/London")
    page.wait_for_url(f"**date={day}**")
    take_first_time_and_confirm(page, "Vera", "vera@example.com")

    # Stripe's (stand-in) checkout asks for the deposit; the booking is only held meanwhile.
    page.get_by_role("heading", name="Pay 20.00 GBP").wait_for()
    assert Booking.objects.get().status == "pending_payment"
    page.get_by_role("button", name="Pay").click()

    page.get_by_role("heading", name="You're booked!").wait_for()
    booking = Booking.objects.get()
    assert booking.status == "confirmed"
    assert [p.amount for p in Payment.objects.filter(booking=booking)] == [Decimal("20.00")]

    # The client cancels in time through the manage link: the deposit comes back.
    page.on("dialog", lambda dialog: dialog.accept())  # "Cancel this booking?"
    page.locator("#manage-link").click()
    page.get_by_role("heading", name="Your booking").wait_for()
    assert page.locator("#paid-online").inner_text() == "20.00 GBP"
    page.get_by_role("link", name="Cancel booking").click()
    page.get_by_label("I am unwell").check()
    page.get_by_role("button", name="Cancel booking").click()

    page.get_by_text("Your booking is cancelled.").wait_for()
    assert page.locator("#refunded").inner_text() == "20.00 GBP"
    booking.refresh_from_db()
    assert booking.status == "cancelled" and not booking.late_cancellation
    assert sorted(p.amount for p in Payment.objects.filter(booking=booking)) == [
        Decimal("-20.00"),
        Decimal("20.00"),
    ]
    [refund] = stripe_host.posts("/v1/refunds")
    assert refund["form"]["amount"] == "2000"
