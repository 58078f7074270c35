"""Bookings held while the client pays online (`pending_payment`).

The hold takes the slot like any active booking (its session is active, so the slot engine
and PostgreSQL's exclusion constraint treat it as taken) but is never a confirmed booking:
no confirmation, no reminders. Billing, which talks to the payment provider, moves it on:
the payment arrived (`booking_payment_received`: confirmed, or a request when the service
asks the trainer to confirm) or it did not (`booking_hold_release`: cancelled, the time is
free again, the client is told).
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone

from trainerhub.core.events import emit
from trainerhub.scheduling.models import Booking, BookingEvent
from trainerhub.scheduling.purchase import Purchase

if TYPE_CHECKING:
    from trainerhub.scheduling.pricing import Quote

Status = Booking.Status
NOT_PAID_REASON = "The payment did not arrive in time, so the time was released."


def online_amount(*, total: Decimal, deposit_due: Decimal, pay_at_session: bool) -> Decimal:
    """What a client pays online when booking: the deposit when the service asks one, else
    the whole price unless they chose to pay at the session."""
    if deposit_due > 0:
        return deposit_due
    return Decimal("0") if pay_at_session else total


def pays_online(price: Quote, purchase: Purchase) -> bool:
    """A booking is held for payment when the trainer takes payments online, no package
    credit pays for it and something is due now."""
    if not purchase.pay_online or purchase.client_package is not None:
        return False
    due = online_amount(
        total=price.total, deposit_due=price.deposit_due, pay_at_session=purchase.pay_at_session
    )
    return due > 0


def _locked_hold(booking: Booking) -> Booking | None:
    locked = Booking.objects.select_for_update().select_related("session").get(pk=booking.pk)
    return locked if locked.status == Status.PENDING_PAYMENT else None


def _record(booking: Booking, kind: str, **data: Any) -> None:
    BookingEvent.objects.create(
        trainer_id=booking.trainer_id, booking=booking, kind=kind, actor="system", data=data
    )


def _refresh_session(booking: Booking) -> None:
    from trainerhub.scheduling.services.bookings import _refresh_session

    _refresh_session(booking.session)


@transaction.atomic
def booking_payment_received(*, booking: Booking) -> Booking:
    """The held booking is paid: confirmed (the client is told and reminded as for any
    confirmed booking), or a request for the trainer when the service asks for confirmation.
    A booking no longer held is answered unchanged (a replayed payment changes nothing)."""
    locked = _locked_hold(booking)
    if locked is None:
        return Booking.objects.get(pk=booking.pk)
    to_request = locked.service.requires_confirmation
    locked.status = Status.PENDING if to_request else Status.CONFIRMED
    locked.sequence += 1
    locked.save(update_fields=["status", "sequence", "updated_at"])
    _record(locked, BookingEvent.Kind.CONFIRMED, paid=True, request=to_request)
    if not to_request:
        emit("booking.confirmed", booking=locked, actor="system")
    booking.refresh_from_db()
    return locked


@transaction.atomic
def booking_hold_release(*, booking: Booking, reason: str = NOT_PAID_REASON) -> Booking | None:
    """No payment came: the hold is cancelled and its time is free again (the client is
    told). Answers None when the booking is no longer held (paid meanwhile, or released by
    another worker): releasing happens once."""
    locked = _locked_hold(booking)
    if locked is None:
        return None
    locked.status = Status.CANCELLED
    locked.cancelled_by = ""
    locked.cancelled_at = timezone.now()
    locked.cancellation_reason = reason
    locked.sequence += 1
    locked.save(
        update_fields=[
            "status",
            "cancelled_by",
            "cancelled_at",
            "cancellation_reason",
            "sequence",
            "updated_at",
        ]
    )
    _refresh_session(locked)
    _record(locked, BookingEvent.Kind.CANCELLED, reason=reason, unpaid=True)
    emit("booking.cancelled", booking=locked, actor="system", reason=reason, late=False)
    booking.refresh_from_db()
    return locked
