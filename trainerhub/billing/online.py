"""Online payments with the trainer's own Stripe account: the settings, the checkout of a
held booking, what the money's arrival (or absence) does, and the webhook's events.

Every surface calls these: the public booking page and API (checkout), the return page and
the webhook (settling), the worker (expired holds, events that had to wait). Settling is
idempotent under a row lock on our `OnlinePayment`: told twice (webhook and return page, a
replayed event, two workers), the money is recorded once, the booking confirmed once, one
receipt sent.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from trainerhub.billing import receipts, stripe_gateway
from trainerhub.billing.models import OnlinePayment, Payment, StripeAccount, StripeEvent
from trainerhub.billing.money import money_text
from trainerhub.billing.services import payment_record
from trainerhub.billing.stripe_gateway import CheckoutSession, GatewayError
from trainerhub.core.errors import Conflict, InvalidInput
from trainerhub.core.tenancy import TrainerRef, trainer_id_of
from trainerhub.plans import services as plans
from trainerhub.plans.models import ONLINE_PAYMENTS
from trainerhub.scheduling.models import Booking
from trainerhub.scheduling.services.holds import (
    booking_hold_release,
    booking_payment_received,
    online_amount,
)

log = logging.getLogger(__name__)

KEY_PREFIXES = ("sk_test_", "sk_live_", "rk_test_", "rk_live_")
# How long after its hold an open checkout is closed by the worker at the latest (Stripe
# expires the session itself at the same moment and says so by webhook).
SETTLE_GRACE = timedelta(minutes=1)
UNAVAILABLE = (
    "Online payment is not available right now, so nothing was booked. Please try again "
    "in a few minutes."
)


# --- Settings -------------------------------------------------------------------------------


def account_for(trainer: TrainerRef) -> StripeAccount | None:
    """The trainer's Stripe account when both keys are set (else online payment is off)."""
    account = StripeAccount.objects.filter(trainer_id=trainer_id_of(trainer)).first()
    if account is None or not account.secret_key or not account.webhook_secret:
        return None
    return account


def payments_offered(trainer: TrainerRef) -> bool:
    """Whether clients are asked to pay online now: the keys are set and the trainer's plan
    includes online payments (always, on a server without plans). A plan without them keeps
    the keys, the webhook and refunds of money already taken; it only starts no checkout."""
    return account_for(trainer) is not None and plans.feature_enabled(trainer, ONLINE_PAYMENTS)


def checkout_allowed(trainer: TrainerRef) -> StripeAccount:
    """The account a client's new checkout goes through, or the 409 that says why there is
    none (`plan_limit`, limit `online_payments`, in words for the client; or
    `payments_not_configured`)."""
    plans.feature_check(trainer, ONLINE_PAYMENTS, by_client=True)
    account = account_for(trainer)
    if account is None:
        raise Conflict("Online payment is not set up.", code="payments_not_configured")
    return account


@dataclass(frozen=True)
class PaymentSettings:
    configured: bool
    # Clients are asked to pay online now (configured, and the plan includes it).
    offered: bool
    # Why not, when configured keys are not used ("" otherwise): the plan's refusal.
    plan_refusal: str
    live: bool
    secret_key_hint: str
    webhook_secret_hint: str
    hold_minutes: int
    late_refund_percent: int
    deposit_refundable: bool


def settings_read(trainer: TrainerRef) -> PaymentSettings:
    from trainerhub.core.crypto import mask

    account = StripeAccount.objects.filter(trainer_id=trainer_id_of(trainer)).first()
    refusal = plans.feature_refusal(trainer, ONLINE_PAYMENTS)
    why_not = refusal.detail if refusal is not None else ""
    if account is None:
        return PaymentSettings(False, False, why_not, False, "", "", 30, 0, True)
    configured = bool(account.secret_key and account.webhook_secret)
    return PaymentSettings(
        configured=configured,
        offered=configured and refusal is None,
        plan_refusal=why_not,
        live=account.live,
        secret_key_hint=mask(account.secret_key),
        webhook_secret_hint=mask(account.webhook_secret),
        hold_minutes=account.hold_minutes,
        late_refund_percent=account.late_refund_percent,
        deposit_refundable=account.deposit_refundable,
    )


def _clean_int(raw: Any, field: str, low: int, high: int) -> int:
    try:
        value = int(raw)
    except (TypeError, ValueError):
        raise InvalidInput({field: ["Enter a whole number."]}) from None
    if not low <= value <= high:
        raise InvalidInput({field: [f"Enter a number from {low} to {high}."]})
    return value


def _clean_key(raw: Any, field: str, prefixes: tuple[str, ...], example: str) -> str:
    value = raw.strip() if isinstance(raw, str) else ""
    if not value.startswith(prefixes) or len(value) > 255 or any(c.isspace() for c in value):
        raise InvalidInput({field: [f"Paste the key as Stripe shows it ({example}…)."]})
    return value


@transaction.atomic
def settings_update(
    *,
    trainer: TrainerRef,
    secret_key: str | None = None,
    webhook_secret: str | None = None,
    hold_minutes: Any = None,
    late_refund_percent: Any = None,
    deposit_refundable: bool | None = None,
    remove_keys: bool = False,
) -> PaymentSettings:
    """Save the trainer's keys and policy. A key left empty keeps the stored one (keys are
    write-only: never shown back); `remove_keys` turns online payment off."""
    tid = trainer_id_of(trainer)
    if secret_key or webhook_secret:
        # New keys would start taking payments: only on a plan that includes them.
        plans.feature_check(trainer, ONLINE_PAYMENTS)
    account = StripeAccount.objects.select_for_update().filter(trainer_id=tid).first()
    account = account or StripeAccount(trainer_id=tid, secret_key="", webhook_secret="")
    if remove_keys:
        account.secret_key, account.webhook_secret = "", ""
    if secret_key:
        account.secret_key = _clean_key(secret_key, "secret_key", KEY_PREFIXES, "sk_live_")
    if webhook_secret:
        account.webhook_secret = _clean_key(webhook_secret, "webhook_secret", ("whsec_",), "whsec_")
    if hold_minutes not in (None, ""):
        account.hold_minutes = _clean_int(hold_minutes, "hold_minutes", 30, 1440)
    if late_refund_percent not in (None, ""):
        account.late_refund_percent = _clean_int(late_refund_percent, "late_refund_percent", 0, 100)
    if deposit_refundable is not None:
        account.deposit_refundable = bool(deposit_refundable)
    if bool(account.secret_key) != bool(account.webhook_secret):
        missing = "webhook_secret" if account.secret_key else "secret_key"
        raise InvalidInput({missing: ["Enter both the secret key and the webhook signing secret."]})
    account.save()
    return settings_read(tid)


# --- Checkout -------------------------------------------------------------------------------


def hold_open(*, booking: Booking) -> OnlinePayment:
    """The online payment a held booking waits for (inside the booking's transaction, so a
    hold never exists without it)."""
    account = checkout_allowed(booking.trainer_id)
    if booking.status != Booking.Status.PENDING_PAYMENT:
        raise Conflict("Online payment is not set up.", code="payments_not_configured")
    amount = online_amount(
        total=booking.price, deposit_due=booking.deposit_due, pay_at_session=booking.pay_at_session
    )
    return OnlinePayment.objects.create(
        trainer_id=booking.trainer_id,
        client_id=booking.client_id,
        booking=booking,
        amount=amount,
        currency=booking.currency,
        hold_until=timezone.now() + timedelta(minutes=account.hold_minutes),
    )


def checkout_start(*, online: OnlinePayment, success_url: str, cancel_url: str) -> OnlinePayment:
    """Create the Checkout Session for `online` (after its transaction committed: no network
    call holds a database lock). If Stripe cannot take it, the hold is released at once and
    the caller hears 409 `payment_unavailable`; nothing stays booked."""
    account = account_for(online.trainer_id)
    if account is None:
        _fail(online)
        raise Conflict(UNAVAILABLE, code="payments_not_configured")
    try:
        session = stripe_gateway.checkout_create(
            secret_key=account.secret_key,
            idempotency_key=f"trainerhub-checkout-{online.pk}",
            amount=online.amount,
            currency=online.currency,
            name=_line_name(online),
            reference=str(online.pk),
            email=getattr(online.client, "email", "") or "",
            success_url=success_url,
            cancel_url=cancel_url,
            expires_at=int(online.hold_until.timestamp()),
        )
    except GatewayError as exc:
        log.warning("stripe checkout refused", extra={"online_payment": online.pk})
        _fail(online)
        detail = UNAVAILABLE if exc.transient else str(exc)
        raise Conflict(detail, code="payment_unavailable") from None
    OnlinePayment.objects.filter(pk=online.pk).update(
        session_id=session.id, checkout_url=session.url, updated_at=timezone.now()
    )
    online.refresh_from_db()
    return online


def _line_name(online: OnlinePayment) -> str:
    booking = online.booking
    if booking is None:
        return str(online.package.name if online.package else "Package")
    what = "Deposit" if booking.deposit_due > 0 else "Session"
    return f"{what}: {booking.service.name}"


@transaction.atomic
def _fail(online: OnlinePayment) -> None:
    locked = OnlinePayment.objects.select_for_update().get(pk=online.pk)
    if locked.state != OnlinePayment.State.OPEN:
        return
    locked.state = OnlinePayment.State.FAILED
    locked.save(update_fields=["state", "updated_at"])
    if locked.booking is not None:
        booking_hold_release(booking=locked.booking, reason="The online payment could not start.")


# --- Settling: the money arrived, or the time ran out ---------------------------------------


def checkout_settle(*, online: OnlinePayment, session: CheckoutSession) -> OnlinePayment:
    """Act on the session's true state: paid → one online payment, the booking confirmed
    (or the package's credits granted), one receipt; expired → the hold released. Any other
    state, or a payment already settled, changes nothing."""
    return _settle(online, session)[0]


@transaction.atomic
def _settle(online: OnlinePayment, session: CheckoutSession) -> tuple[OnlinePayment, bool]:
    """checkout_settle, and whether this call was the one that acted (under the row lock)."""
    locked = OnlinePayment.objects.select_for_update().get(pk=online.pk)
    if session.status == "complete" and session.payment_status == "paid":
        if locked.state == OnlinePayment.State.PAID:
            return locked, False
        _record_paid(locked, session)
        return locked, True
    if session.status == "expired" and locked.state == OnlinePayment.State.OPEN:
        locked.state = OnlinePayment.State.EXPIRED
        locked.save(update_fields=["state", "updated_at"])
        if locked.booking is not None:
            booking_hold_release(booking=locked.booking)
        return locked, True
    return locked, False


def _record_paid(locked: OnlinePayment, session: CheckoutSession) -> None:
    from trainerhub.billing import packages_online, refunds

    target: dict[str, Any] = {}
    if locked.booking_id:
        target["booking"] = locked.booking
    else:
        target["client_package"] = packages_online.grant(online=locked)
    payment = payment_record(
        trainer=locked.trainer_id,
        client=locked.client,
        amount=locked.amount,
        currency=locked.currency,
        method=Payment.Method.ONLINE,
        note="Paid online (Stripe)",
        external_id=session.payment_intent or session.id,
        **target,
    )
    locked.state = OnlinePayment.State.PAID
    locked.payment = payment
    locked.payment_intent = session.payment_intent
    if not locked.session_id:
        locked.session_id = session.id
    locked.save(update_fields=["state", "payment", "payment_intent", "session_id", "updated_at"])
    receipts.receipt_send(payment=payment)
    if locked.booking is not None:
        held = locked.booking.status == Booking.Status.PENDING_PAYMENT
        booking = booking_payment_received(booking=locked.booking)
        if held and booking.status == Booking.Status.PENDING:
            _tell_paid_request(booking, payment)
        if booking.status == Booking.Status.CANCELLED:
            # The money came after the hold was released (and its time perhaps given to
            # someone else): it all goes back.
            refunds.request_refund(online=locked, amount=locked.amount, reason="Paid too late")


def _tell_paid_request(booking: Booking, payment: Payment) -> None:
    """A paid booking of a service the trainer confirms is now their request: the client
    hears that it is received and paid, and waits for the trainer's answer (not a
    confirmation: declining refunds it in full, refunds.on_booking_declined); the trainer is
    asked to confirm it, as for any request."""
    from trainerhub.notifications import outbox
    from trainerhub.notifications.models import Kind

    paid = {"actor": "client", "paid": money_text(payment.amount, payment.currency)}
    outbox.to_client(booking, Kind.REQUEST_RECEIVED, paid)
    outbox.to_trainer(booking, Kind.TRAINER_PENDING_REQUEST, paid)


def settle_from_stripe(*, online: OnlinePayment) -> OnlinePayment:
    """Re-read the session from Stripe and act on what it says (the return page, the worker)."""
    account = account_for(online.trainer_id)
    if account is None or not online.session_id:
        return online
    session = stripe_gateway.checkout_retrieve(
        secret_key=account.secret_key, session_id=online.session_id
    )
    return checkout_settle(online=online, session=session)


def online_for_booking(booking: Booking) -> OnlinePayment | None:
    return OnlinePayment.objects.filter(booking=booking).order_by("-id").first()


def holds_expire(*, now: datetime | None = None, limit: int = 200) -> int:
    """The worker's pass: open checkouts past their hold are closed on Stripe (so they can
    no longer be paid) and their holds released; one that was paid meanwhile is settled as
    paid instead. Safe with two workers (settling locks the row and acts once)."""
    now = now or timezone.now()
    due = list(
        OnlinePayment.objects.filter(
            state=OnlinePayment.State.OPEN, hold_until__lte=now - SETTLE_GRACE
        )
        .select_related("booking", "client")
        .order_by("hold_until")[:limit]
    )
    done = 0
    for online in due:
        try:
            done += _expire_one(online)
        except GatewayError:
            log.warning("stripe unavailable for an expired hold", extra={"online": online.pk})
    return done


def _expire_one(online: OnlinePayment) -> int:
    account = account_for(online.trainer_id)
    if account is None or not online.session_id:
        expired = CheckoutSession(online.session_id, "", "expired", "unpaid", "", "", None)
    else:
        expired = stripe_gateway.checkout_expire(
            secret_key=account.secret_key, session_id=online.session_id
        )
    return int(_settle(online, expired)[1])


# --- The webhook ------------------------------------------------------------------------------


def webhook_trainer(slug: str) -> Any:
    """The trainer whose webhook address this is (None: no such active trainer)."""
    from trainerhub.accounts.models import User

    return User.objects.filter(slug=slug, is_active=True).first()


def webhook_receive(*, trainer: TrainerRef, payload: bytes, signature: str) -> StripeEvent | None:
    """Verify and store one event, and act on it in the same transaction. A bad signature or
    a stale timestamp is InvalidInput (400) with nothing written; a duplicate answers None.
    An event that cannot be acted on yet stays stored, unprocessed, for the worker."""
    tid = trainer_id_of(trainer)
    account = account_for(tid)
    if account is None:
        raise InvalidInput({"signature": ["Online payments are not set up for this account."]})
    try:
        event = stripe_gateway.event_verify(
            payload=payload, signature=signature, secret=account.webhook_secret
        )
    except stripe_gateway.BadSignature:
        raise InvalidInput({"signature": ["The Stripe-Signature does not match."]}) from None
    event_id = str(event.get("id") or "")
    if not event_id:
        raise InvalidInput({"id": ["The event has no id."]})
    try:
        with transaction.atomic():
            row = StripeEvent.objects.create(
                trainer_id=tid,
                event_id=event_id[:255],
                type=str(event.get("type") or "")[:100],
                payload=slim(event),
            )
            event_process(row)
    except IntegrityError:
        return None
    return row


# What of an event's object is acted on: everything else (the customer's name, email and
# address on a session or a charge) is not stored.
_SESSION_KEYS = ("id", "object", "status", "payment_status", "payment_intent")
_KEPT = (*_SESSION_KEYS, "client_reference_id", "amount_total", "currency", "amount_refunded")
_REFUND_KEYS = ("id", "amount", "status", "payment_intent")


def slim(event: dict[str, Any]) -> dict[str, Any]:
    obj = ((event.get("data") or {}).get("object")) or {}
    kept = {k: obj[k] for k in _KEPT if k in obj}
    if isinstance(kept.get("payment_intent"), dict):
        kept["payment_intent"] = stripe_gateway.id_of(kept["payment_intent"])
    listed = ((obj.get("refunds") or {}).get("data")) if isinstance(obj, dict) else None
    if listed:
        kept["refunds"] = {"data": [{k: r.get(k) for k in _REFUND_KEYS} for r in listed]}
    return {"id": event.get("id"), "type": event.get("type"), "data": {"object": kept}}


def event_process(row: StripeEvent) -> bool:
    """Act on a stored event; True when done (marked processed), False when it waits."""
    obj = ((row.payload or {}).get("data") or {}).get("object") or {}
    handler = HANDLERS.get(row.type)
    done = True if handler is None else handler(row.trainer_id, obj)
    StripeEvent.objects.filter(pk=row.pk).update(
        processed_at=timezone.now() if done else None, attempts=row.attempts + 1
    )
    return done


def _on_session(trainer_id: int, obj: dict[str, Any]) -> bool:
    reference = str(obj.get("client_reference_id") or "")
    online = None
    if reference.isdigit():
        online = OnlinePayment.objects.filter(trainer_id=trainer_id, pk=int(reference)).first()
    if online is None:
        return True  # not ours (another integration on the same account): nothing to do
    checkout_settle(online=online, session=stripe_gateway.session_from(obj))
    return True


def _on_charge_refunded(trainer_id: int, obj: dict[str, Any]) -> bool:
    from trainerhub.billing import refunds

    return refunds.record_charge_refunds(trainer_id=trainer_id, charge=obj)


HANDLERS = {
    "checkout.session.completed": _on_session,
    "checkout.session.async_payment_succeeded": _on_session,
    "checkout.session.expired": _on_session,
    "charge.refunded": _on_charge_refunded,
}


def events_retry(*, limit: int = 200) -> int:
    """The worker's pass over events that had to wait (a refund told before its payment)."""
    done = 0
    waiting = StripeEvent.objects.filter(processed_at__isnull=True).order_by("received_at")
    for row in waiting[:limit]:
        with transaction.atomic():
            locked = StripeEvent.objects.select_for_update().get(pk=row.pk)
            if locked.processed_at is None and event_process(locked):
                done += 1
    return done


def amount_text(amount: Decimal, currency: str) -> str:
    return f"{amount:.2f} {currency}"
