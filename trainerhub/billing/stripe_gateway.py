"""The one module that talks to Stripe, through the official `stripe` SDK.

Its base address is `settings.STRIPE_API_BASE` (tests point it at a local stand-in). Every
POST carries an `Idempotency-Key` the caller derives from our own row (a payment's or a
refund request's id), so a retry after a timeout, a 429 or a 500 can never charge or refund
twice. Keys are the trainer's own (`StripeAccount`), passed per call, never logged.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.conf import settings

from trainerhub.billing.money import cents

if TYPE_CHECKING:
    import stripe

# The SDK (29 MB of modules) is imported by the functions that call Stripe, not here: every
# web process imports this module, and most never talk to Stripe.

# Currencies Stripe counts in whole units (no minor unit).
ZERO_DECIMAL = frozenset(
    {"BIF", "CLP", "DJF", "GNF", "JPY", "KMF", "KRW", "MGA"}
    | {"PYG", "RWF", "UGX", "VND", "VUV", "XAF", "XOF", "XPF"}
)
# The SDK retries network errors, 409, 429 and 5xx itself (same idempotency key) this often
# before the error reaches us; the worker then retries later with backoff.
NETWORK_RETRIES = 2
TIMEOUT_SECONDS = 20


class GatewayError(Exception):
    """Stripe refused or could not answer. `transient`: worth retrying later (rate limit,
    a 5xx, the network); otherwise the request itself was refused (a card declined, a bad
    key) and retrying it would give the same answer."""

    def __init__(self, message: str, *, transient: bool, code: str = "") -> None:
        super().__init__(message)
        self.transient = transient
        self.code = code


@dataclass(frozen=True)
class CheckoutSession:
    id: str
    url: str
    status: str  # open | complete | expired
    payment_status: str  # paid | unpaid | no_payment_required
    payment_intent: str
    client_reference_id: str
    amount_total: int | None


@dataclass(frozen=True)
class Refund:
    id: str
    status: str
    amount: int


def _client(secret_key: str) -> stripe.StripeClient:
    import stripe

    return stripe.StripeClient(
        secret_key,
        base_addresses={"api": settings.STRIPE_API_BASE},
        max_network_retries=NETWORK_RETRIES,
        http_client=stripe.RequestsClient(timeout=TIMEOUT_SECONDS),
    )


def to_minor(amount: Decimal, currency: str) -> int:
    """Stripe's integer amount: cents, or whole units for a zero-decimal currency."""
    if currency.upper() in ZERO_DECIMAL:
        return int(amount)
    return int(cents(amount) * 100)


def from_minor(value: int, currency: str) -> Decimal:
    if currency.upper() in ZERO_DECIMAL:
        return Decimal(value)
    return cents(Decimal(value) / 100)


def _wrap(exc: stripe.StripeError) -> GatewayError:
    import stripe

    transient = (
        isinstance(exc, (stripe.RateLimitError, stripe.APIConnectionError))
        or (exc.http_status or 0) >= 500
    )
    message = getattr(exc, "user_message", None) or str(exc) or "Stripe refused the request."
    return GatewayError(message, transient=transient, code=str(getattr(exc, "code", "") or ""))


def _plain(obj: Any) -> dict[str, Any]:
    return obj.to_dict() if hasattr(obj, "to_dict") else dict(obj)


def _session(raw: Any) -> CheckoutSession:
    obj = _plain(raw)
    return CheckoutSession(
        id=str(obj["id"]),
        url=str(obj.get("url") or ""),
        status=str(obj.get("status") or ""),
        payment_status=str(obj.get("payment_status") or ""),
        payment_intent=id_of(obj.get("payment_intent")),
        client_reference_id=str(obj.get("client_reference_id") or ""),
        amount_total=obj.get("amount_total"),
    )


def session_from(obj: dict[str, Any]) -> CheckoutSession:
    """A session as an event carries it (the event's data.object)."""
    return _session(obj)


def id_of(value: Any) -> str:
    if isinstance(value, str):
        return value
    if value is None:
        return ""
    return str(value.get("id") or "")


def checkout_create(
    *,
    secret_key: str,
    idempotency_key: str,
    amount: Decimal,
    currency: str,
    name: str,
    reference: str,
    email: str,
    success_url: str,
    cancel_url: str,
    expires_at: int,
) -> CheckoutSession:
    """A Checkout Session (mode payment) for one line of `amount` in `currency`."""
    import stripe

    params: dict[str, Any] = {
        "mode": "payment",
        "client_reference_id": reference,
        "success_url": success_url,
        "cancel_url": cancel_url,
        "expires_at": expires_at,
        "line_items": [
            {
                "quantity": 1,
                "price_data": {
                    "currency": currency.lower(),
                    "unit_amount": to_minor(amount, currency),
                    "product_data": {"name": name[:250]},
                },
            }
        ],
        "metadata": {"trainerhub_payment": reference},
    }
    if email:
        params["customer_email"] = email
    try:
        obj = _client(secret_key).v1.checkout.sessions.create(
            params,  # type: ignore[arg-type]  # the SDK's TypedDict, built as a plain dict
            {"idempotency_key": idempotency_key},
        )
    except stripe.StripeError as exc:
        raise _wrap(exc) from None
    return _session(obj)


def checkout_retrieve(*, secret_key: str, session_id: str) -> CheckoutSession:
    import stripe

    try:
        obj = _client(secret_key).v1.checkout.sessions.retrieve(session_id)
    except stripe.StripeError as exc:
        raise _wrap(exc) from None
    return _session(obj)


def checkout_expire(*, secret_key: str, session_id: str) -> CheckoutSession:
    """Close an open session so it can no longer be paid (before its hold is released)."""
    import stripe

    try:
        obj = _client(secret_key).v1.checkout.sessions.expire(
            session_id, None, {"idempotency_key": f"expire-{session_id}"}
        )
    except stripe.InvalidRequestError:
        # Already complete or expired: the caller re-reads it to see which.
        return checkout_retrieve(secret_key=secret_key, session_id=session_id)
    except stripe.StripeError as exc:
        raise _wrap(exc) from None
    return _session(obj)


def refund_create(
    *,
    secret_key: str,
    idempotency_key: str,
    payment_intent: str,
    amount: Decimal,
    currency: str,
) -> Refund:
    import stripe

    try:
        obj = _client(secret_key).v1.refunds.create(
            {"payment_intent": payment_intent, "amount": to_minor(amount, currency)},
            {"idempotency_key": idempotency_key},
        )
    except stripe.StripeError as exc:
        raise _wrap(exc) from None
    data = _plain(obj)
    return Refund(id=str(data["id"]), status=str(data.get("status") or ""), amount=data["amount"])


class BadSignature(Exception):
    pass


def event_verify(*, payload: bytes, signature: str, secret: str) -> dict[str, Any]:
    """The event, if `signature` (the Stripe-Signature header) signs this raw body with the
    trainer's signing secret within Stripe's 5-minute tolerance; else BadSignature."""
    import stripe

    try:
        event = stripe.Webhook.construct_event(payload, signature, secret, tolerance=300)
    except (stripe.SignatureVerificationError, ValueError) as exc:
        raise BadSignature(str(exc)) from None
    return event.to_dict()
