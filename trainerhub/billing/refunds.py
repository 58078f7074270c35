"""Refunds of money paid online: by the trainer's policy when an online-paid booking is
cancelled, by hand (full or partial) from the booking panel or the API, and those Stripe
tells us of (`charge.refunded`, e.g. made in Stripe's dashboard).

A refund is first a `RefundRequest`, written in the transaction that decides it; it is sent
to Stripe after commit and, if Stripe is unavailable (429, 5xx, the network), again by the
worker with backoff, always with the request's own Idempotency-Key: Stripe refunds it once
however often it is sent. Its arrival is recorded as a negative `Payment` whose
`external_id` is Stripe's refund id (unique), so the API answer and the webhook telling the
same refund record it once.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone

from trainerhub.billing import receipts, stripe_gateway
from trainerhub.billing.models import OnlinePayment, Payment, RefundRequest, StripeAccount
from trainerhub.billing.money import ZERO, cents, money_text
from trainerhub.billing.services import clean_amount, payment_refund
from trainerhub.core.errors import Conflict
from trainerhub.scheduling.models import Booking

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 8
HUNDRED = Decimal("100")


def _backoff(attempts: int) -> timedelta:
    return timedelta(minutes=min(2**attempts, 120))


def refundable_left(online: OnlinePayment) -> Decimal:
    """What of an online payment can still be refunded: paid, minus refunds recorded, minus
    requests on their way."""
    if online.payment_id is None:
        return ZERO
    payment = Payment.objects.get(pk=online.payment_id)
    given = Payment.objects.filter(refund_of=payment).aggregate(s=Sum("amount"))["s"] or ZERO
    waiting = (
        RefundRequest.objects.filter(online=online, state=RefundRequest.State.PENDING).aggregate(
            s=Sum("amount")
        )["s"]
        or ZERO
    )
    return max(payment.amount + given - waiting, ZERO)


def _paid_online(booking: Booking) -> list[OnlinePayment]:
    return list(
        OnlinePayment.objects.filter(
            booking=booking, state=OnlinePayment.State.PAID, payment__isnull=False
        ).order_by("id")
    )


@transaction.atomic
def request_refund(*, online: OnlinePayment, amount: Decimal, reason: str) -> RefundRequest:
    """A refund of `amount` of one online payment, sent after commit (and by the worker)."""
    locked = OnlinePayment.objects.select_for_update().get(pk=online.pk)
    left = refundable_left(locked)
    if left <= 0:
        raise Conflict("This payment has already been refunded.", code="already_refunded")
    if amount > left:
        raise Conflict(
            f"Only {left:.2f} {locked.currency} of this payment is left to refund.",
            code="refund_too_large",
        )
    request = RefundRequest.objects.create(
        trainer_id=locked.trainer_id,
        online=locked,
        amount=cents(amount),
        reason=reason[:200],
        next_attempt_at=timezone.now(),
    )
    transaction.on_commit(lambda: refund_send(request_id=request.pk))
    return request


def policy_amount(
    *, online: OnlinePayment, booking: Booking, account: StripeAccount, by_trainer: bool
) -> Decimal:
    """What the trainer's policy gives back when `booking` is cancelled: everything when the
    trainer cancels or the client cancels in time (less a deposit that is not refundable),
    the late percentage of it when the client cancels late."""
    left = refundable_left(online)
    if by_trainer:
        return left
    if booking.late_cancellation:
        return cents(left * account.late_refund_percent / HUNDRED)
    if not account.deposit_refundable and booking.deposit_due > 0:
        return max(left - booking.deposit_due, ZERO)
    return left


def on_booking_cancelled(*, booking: Booking, actor: str = "", **_: Any) -> None:
    """An online-paid booking was cancelled: refund by policy, in the cancel's transaction."""
    account = StripeAccount.objects.filter(trainer_id=booking.trainer_id).first()
    if account is None:
        return
    for online in _paid_online(booking):
        amount = policy_amount(
            online=online, booking=booking, account=account, by_trainer=actor != "client"
        )
        if amount > 0:
            request_refund(online=online, amount=amount, reason="Cancelled: refund by policy")


def on_booking_declined(*, booking: Booking, **_: Any) -> None:
    """The trainer declined a request the client had paid for (a service they confirm):
    everything paid online goes back, whatever the policy (in the decline's transaction)."""
    for online in _paid_online(booking):
        left = refundable_left(online)
        if left > 0:
            request_refund(online=online, amount=left, reason="Request declined: full refund")


@dataclass(frozen=True)
class OnlineMoney:
    """What a client paid online for a booking, and what came back or is on its way (money
    as text with its currency), for the client's own pages."""

    paid: str
    refunded: str
    refund_pending: str


def booking_online_money(booking: Booking) -> OnlineMoney | None:
    """None when nothing was paid online for `booking`."""
    paid = _paid_online(booking)
    if not paid:
        return None
    currency = paid[0].currency
    given = Payment.objects.filter(refund_of_id__in=[o.payment_id for o in paid])
    waiting = RefundRequest.objects.filter(online__in=paid, state=RefundRequest.State.PENDING)
    refunded = -(given.aggregate(s=Sum("amount"))["s"] or ZERO)
    pending = waiting.aggregate(s=Sum("amount"))["s"] or ZERO
    return OnlineMoney(
        paid=money_text(sum((o.amount for o in paid), ZERO), currency),
        refunded=money_text(refunded, currency) if refunded > 0 else "",
        refund_pending=money_text(pending, currency) if pending > 0 else "",
    )


def booking_refundable(booking: Booking) -> Decimal:
    """What of a booking's online payments can still be refunded through Stripe."""
    return sum((refundable_left(online) for online in _paid_online(booking)), ZERO)


@transaction.atomic
def refund_booking(*, booking: Booking, amount: Any = None) -> list[RefundRequest]:
    """The trainer refunds a booking paid online, by hand: `amount` (default: all that is
    left) spread over its online payments, oldest first. 409 `already_refunded` when nothing
    is left, `refund_too_large` when asked for more than is left."""
    paid = _paid_online(booking)
    if not paid:
        raise Conflict("Nothing was paid online for this booking.", code="not_paid_online")
    lefts = [(online, refundable_left(online)) for online in paid]
    total = sum((left for _, left in lefts), ZERO)
    if total <= 0:
        raise Conflict("This booking has already been refunded.", code="already_refunded")
    wanted = total if amount in (None, "") else clean_amount(amount, "amount")
    if wanted > total:
        raise Conflict(
            f"Only {total:.2f} {booking.currency} paid online is left to refund.",
            code="refund_too_large",
        )
    made = []
    for online, left in lefts:
        part = min(wanted, left)
        if part > 0:
            made.append(request_refund(online=online, amount=part, reason="Refunded by hand"))
            wanted -= part
    return made


def refund_send(*, request_id: int) -> RefundRequest:
    """Send one pending refund to Stripe (its fixed Idempotency-Key) and record what came."""
    request = RefundRequest.objects.select_related("online").get(pk=request_id)
    if request.state != RefundRequest.State.PENDING:
        return request
    account = StripeAccount.objects.filter(trainer_id=request.trainer_id).first()
    if account is None or not account.secret_key:
        return _retry_later(request, "Stripe keys are missing.")
    try:
        refund = stripe_gateway.refund_create(
            secret_key=account.secret_key,
            idempotency_key=f"trainerhub-refund-{request.pk}",
            payment_intent=request.online.payment_intent,
            amount=request.amount,
            currency=request.online.currency,
        )
    except stripe_gateway.GatewayError as exc:
        if exc.transient:
            return _retry_later(request, str(exc))
        RefundRequest.objects.filter(pk=request.pk).update(
            state=RefundRequest.State.FAILED, last_error=str(exc)[:500]
        )
        request.refresh_from_db()
        return request
    return _record_sent(request, refund.id)


def _retry_later(request: RefundRequest, error: str) -> RefundRequest:
    attempts = request.attempts + 1
    state = RefundRequest.State.FAILED if attempts >= MAX_ATTEMPTS else RefundRequest.State.PENDING
    RefundRequest.objects.filter(pk=request.pk, state=RefundRequest.State.PENDING).update(
        attempts=attempts,
        next_attempt_at=timezone.now() + _backoff(attempts),
        last_error=error[:500],
        state=state,
    )
    request.refresh_from_db()
    return request


@transaction.atomic
def _record_sent(request: RefundRequest, refund_id: str) -> RefundRequest:
    locked = RefundRequest.objects.select_for_update().select_related("online").get(pk=request.pk)
    if locked.state == RefundRequest.State.DONE:
        return locked
    online = locked.online
    payment = _record_refund(online, locked.amount, refund_id, note=locked.reason)
    locked.state = RefundRequest.State.DONE
    locked.stripe_refund_id = refund_id
    locked.refund = payment
    locked.last_error = ""
    locked.save(update_fields=["state", "stripe_refund_id", "refund", "last_error"])
    return locked


def _record_refund(online: OnlinePayment, amount: Decimal, refund_id: str, *, note: str) -> Payment:
    """The negative payment of Stripe refund `refund_id`, once (whoever tells us first)."""
    existing = Payment.objects.filter(trainer_id=online.trainer_id, external_id=refund_id).first()
    if existing is not None:
        return existing
    original = Payment.objects.get(pk=int(online.payment_id or 0))
    try:
        with transaction.atomic():
            refund = payment_refund(
                payment=original, amount=amount, note=note, external_id=refund_id
            )
    except IntegrityError:
        return Payment.objects.get(trainer_id=online.trainer_id, external_id=refund_id)
    receipts.receipt_send(payment=refund)
    return refund


def record_charge_refunds(*, trainer_id: int, charge: dict[str, Any]) -> bool:
    """`charge.refunded`: record each refund of the charge not recorded yet. False (wait for
    the worker) when its payment has not been seen yet."""
    pi = stripe_gateway.id_of(charge.get("payment_intent"))
    online = OnlinePayment.objects.filter(
        trainer_id=trainer_id, payment_intent=pi, state=OnlinePayment.State.PAID
    ).first()
    if not pi or online is None:
        return False
    currency = str(charge.get("currency") or online.currency)
    listed = ((charge.get("refunds") or {}).get("data")) or []
    for item in listed:
        if item.get("status") not in (None, "succeeded", "pending"):
            continue
        amount = stripe_gateway.from_minor(int(item.get("amount") or 0), currency)
        if amount > 0:
            _record_and_close(online, amount, str(item["id"]))
    if not listed and charge.get("amount_refunded"):
        told = stripe_gateway.from_minor(int(charge["amount_refunded"]), currency)
        rows = Payment.objects.filter(refund_of_id=online.payment_id)
        known = -(rows.aggregate(s=Sum("amount"))["s"] or ZERO)
        if told > known:
            _record_and_close(
                online, told - known, f"{charge.get('id')}:{charge['amount_refunded']}"
            )
    return True


def _record_and_close(online: OnlinePayment, amount: Decimal, refund_id: str) -> None:
    payment = _record_refund(online, amount, refund_id, note="Refunded in Stripe")
    RefundRequest.objects.filter(
        online=online, stripe_refund_id=refund_id, state=RefundRequest.State.PENDING
    ).update(state=RefundRequest.State.DONE, refund=payment)


def refunds_due(*, now: datetime | None = None, limit: int = 100) -> int:
    """The worker's pass: send the pending refunds whose time has come."""
    now = now or timezone.now()
    due = RefundRequest.objects.filter(
        state=RefundRequest.State.PENDING, next_attempt_at__lte=now
    ).order_by("next_attempt_at")
    sent = 0
    for request_id in list(due.values_list("pk", flat=True)[:limit]):
        if refund_send(request_id=request_id).state == RefundRequest.State.DONE:
            sent += 1
    return sent
