"""The public booking flow's side of online payment: after a booking is held for payment,
send the client to Stripe's Checkout; when they come back, read the outcome (billing's
rules settle it, the webhook may have done so already)."""

from __future__ import annotations

import logging

from django.http import HttpRequest
from django.urls import reverse

from trainerhub.billing import online
from trainerhub.billing.models import OnlinePayment
from trainerhub.billing.stripe_gateway import GatewayError
from trainerhub.portal.views.common import with_query
from trainerhub.scheduling.models import Booking

log = logging.getLogger(__name__)


def return_url(request: HttpRequest, booking: Booking, tz: str = "") -> str:
    done = reverse("portal:book_done", args=[booking.trainer.slug, booking.manage_token])
    return request.build_absolute_uri(with_query(done, tz=tz))


def checkout_for(request: HttpRequest, booking: Booking, tz: str = "") -> OnlinePayment | None:
    """The started checkout of a held booking (None when nothing is due online). A Conflict
    `payment_unavailable` when Stripe could not start it: the hold is already released."""
    if booking.status != Booking.Status.PENDING_PAYMENT:
        return None
    pending = online.online_for_booking(booking)
    if pending is None:
        return None
    back = return_url(request, booking, tz)
    return online.checkout_start(online=pending, success_url=back, cancel_url=back)


def settle_on_return(booking: Booking) -> Booking:
    """The client is back from the checkout: if the payment has not been told by webhook yet,
    ask Stripe (a paid booking is never shown as waiting for payment)."""
    if booking.status != Booking.Status.PENDING_PAYMENT:
        return booking
    pending = online.online_for_booking(booking)
    if pending is None or pending.state != OnlinePayment.State.OPEN:
        return booking
    try:
        online.settle_from_stripe(online=pending)
    except GatewayError:
        log.warning("stripe unavailable on return", extra={"booking": booking.pk})
    booking.refresh_from_db()
    return booking


def pending_checkout(booking: Booking) -> OnlinePayment | None:
    if booking.status != Booking.Status.PENDING_PAYMENT:
        return None
    pending = online.online_for_booking(booking)
    if pending is None or pending.state != OnlinePayment.State.OPEN:
        return None
    return pending
