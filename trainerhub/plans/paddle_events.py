"""Paddle's webhooks: the only writer of a trainer's subscription.

`verify` checks the `Paddle-Signature` header (`ts=...;h1=...`, HMAC-SHA256 of "ts:raw body"
with the destination's secret; several h1 values while Paddle rotates the secret, several
secrets here while the operator does). `event_handle` stores the event id under a unique
constraint and acts in the same transaction, so a replayed event changes nothing; events may
come in any order, so a subscription only moves to an event that happened after the one it
last applied.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import time
from datetime import datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.dateparse import parse_datetime

from trainerhub.accounts.models import User
from trainerhub.core.errors import InvalidInput
from trainerhub.plans import conf
from trainerhub.plans.models import PaddleEvent, Plan, Subscription, SubscriptionPayment

logger = logging.getLogger(__name__)

TOLERANCE_SECONDS = 300
# Currencies whose amounts Paddle gives in whole units (no minor unit).
ZERO_DECIMAL = {"JPY", "KRW"}


def _signature_parts(header: str) -> tuple[str, list[str]]:
    ts, h1s = "", []
    for part in header.split(";"):
        key, _, value = part.strip().partition("=")
        if key == "ts":
            ts = value.strip()
        elif key == "h1":
            h1s.append(value.strip())
    return ts, h1s


def verify(*, header: str, body: bytes, now: float | None = None) -> None:
    """Raise InvalidInput (a 400, nothing done) unless the signature is good and fresh."""
    secrets = conf.webhook_secrets()
    if not secrets:
        raise InvalidInput("Paddle webhooks are not set up on this server.")
    ts, h1s = _signature_parts(header or "")
    if not ts.isdigit() or not h1s:
        raise InvalidInput("Missing or malformed Paddle-Signature header.")
    if abs((now if now is not None else time.time()) - int(ts)) > TOLERANCE_SECONDS:
        raise InvalidInput("Stale Paddle-Signature timestamp.")
    signed = ts.encode() + b":" + body
    for secret in secrets:
        expected = hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()
        if any(hmac.compare_digest(expected, h1) for h1 in h1s):
            return
    raise InvalidInput("Bad Paddle-Signature.")


def parse(body: bytes) -> dict[str, Any]:
    try:
        payload = json.loads(body)
    except (ValueError, UnicodeDecodeError) as exc:
        raise InvalidInput("The body is not JSON.") from exc
    ok = isinstance(payload, dict) and isinstance(payload.get("data"), dict)
    if not ok or not payload.get("event_id") or not payload.get("event_type"):
        raise InvalidInput("Not a Paddle event (event_id, event_type and data are required).")
    if _when(payload.get("occurred_at")) is None:
        raise InvalidInput({"occurred_at": ["A date and time is required."]})
    return payload


def _when(value: Any) -> datetime | None:
    parsed = parse_datetime(str(value)) if value else None
    return parsed if parsed is not None and parsed.tzinfo is not None else None


@transaction.atomic
def event_handle(payload: dict[str, Any]) -> bool:
    """Act on a verified event once; False when its id was handled before."""
    occurred = _when(payload["occurred_at"])
    assert occurred is not None  # parse() checked it
    try:
        with transaction.atomic():
            event = PaddleEvent.objects.create(
                event_id=str(payload["event_id"])[:64],
                event_type=str(payload["event_type"])[:64],
                occurred_at=occurred,
            )
    except IntegrityError:
        return False
    kind, data = event.event_type, payload["data"]
    if kind.startswith("subscription."):
        trainer, outcome = _subscription_apply(data, occurred)
    elif kind == "transaction.completed":
        trainer, outcome = _payment_record(data, occurred)
    else:
        trainer, outcome = None, "ignored: not an event we act on"
    event.trainer, event.outcome = trainer, outcome[:200]
    event.save(update_fields=["trainer", "outcome"])
    return True


def _trainer_from(data: dict[str, Any]) -> User | None:
    custom = data.get("custom_data") or {}
    raw = str(custom.get("trainer_id", "")) if isinstance(custom, dict) else ""
    if not raw.isdigit():
        return None
    return User.objects.filter(pk=int(raw), role=User.Role.TRAINER).first()


def _plan_of(data: dict[str, Any]) -> Plan | None:
    for item in data.get("items") or []:
        price = (item or {}).get("price") or {}
        price_id = price.get("id") or item.get("price_id")
        plan = Plan.objects.filter(paddle_price_id=price_id).first() if price_id else None
        if plan is not None:
            return plan
    return None


def _subscription_row(data: dict[str, Any]) -> tuple[Subscription | None, User | None]:
    sub_id = str(data.get("id") or "")
    row = Subscription.objects.select_for_update().filter(paddle_subscription_id=sub_id).first()
    if row is not None:
        return row, row.trainer
    trainer = _trainer_from(data)
    if trainer is None:
        return None, None
    return Subscription.objects.select_for_update().filter(trainer=trainer).first(), trainer


def _subscription_apply(data: dict[str, Any], occurred: datetime) -> tuple[User | None, str]:
    sub_id, status = str(data.get("id") or ""), str(data.get("status") or "")
    if not sub_id or status not in Subscription.Status.values:
        return None, "ignored: no subscription id or an unknown status"
    row, trainer = _subscription_row(data)
    if trainer is None:
        return None, "ignored: no trainer for this subscription"
    if row is not None and row.paddle_updated_at > occurred:
        return trainer, "ignored: older than the state we have"
    if (
        row is not None
        and row.paddle_subscription_id != sub_id
        and row.status not in (Subscription.Status.CANCELED,)
        and status == Subscription.Status.CANCELED
    ):
        return trainer, "ignored: an earlier subscription ended; the current one stands"
    row = row or Subscription(trainer=trainer)
    was = row.status if row.pk else ""
    row.paddle_subscription_id = sub_id
    row.paddle_customer_id = str(data.get("customer_id") or row.paddle_customer_id)[:64]
    row.status = status
    row.plan = _plan_of(data) or row.plan
    period = data.get("current_billing_period") or {}
    row.current_period_end = _when(period.get("ends_at")) if isinstance(period, dict) else None
    row.canceled_at = _when(data.get("canceled_at"))
    row.grace_until = _grace(row, was, occurred)
    row.paddle_updated_at = occurred
    row.save()
    return trainer, f"subscription {status}"


def _grace(row: Subscription, was: str, occurred: datetime) -> datetime | None:
    """In good standing: none. Lapsing now: the grace starts at the event; still lapsed: the
    date already told stays (a second past-due event does not extend it)."""
    if row.status in Subscription.GOOD_STANDING:
        return None
    if was and was not in Subscription.GOOD_STANDING and row.grace_until is not None:
        return row.grace_until
    return occurred + timedelta(days=conf.grace_days())


def _amount(data: dict[str, Any], currency: str) -> Decimal | None:
    totals = (data.get("details") or {}).get("totals") or {}
    raw = totals.get("grand_total", totals.get("total"))
    try:
        minor = Decimal(str(raw))
    except (InvalidOperation, ValueError):
        return None
    return minor if currency in ZERO_DECIMAL else (minor / 100).quantize(Decimal("0.01"))


def _payment_record(data: dict[str, Any], occurred: datetime) -> tuple[User | None, str]:
    txn_id = str(data.get("id") or "")
    sub_id = str(data.get("subscription_id") or "")
    sub = Subscription.objects.filter(paddle_subscription_id=sub_id).first() if sub_id else None
    trainer = sub.trainer if sub is not None else _trainer_from(data)
    currency = str(data.get("currency_code") or "").upper()[:3]
    amount = _amount(data, currency)
    if not txn_id or trainer is None or amount is None or not currency:
        return trainer, "ignored: no transaction id, trainer or amount"
    _, created = SubscriptionPayment.objects.get_or_create(
        paddle_transaction_id=txn_id[:64],
        defaults={
            "trainer": trainer,
            "subscription": sub,
            "amount": amount,
            "currency": currency,
            "billed_at": _when(data.get("billed_at")) or occurred,
            "invoice_number": str(data.get("invoice_number") or "")[:64],
        },
    )
    return trainer, "payment recorded" if created else "payment already recorded"
