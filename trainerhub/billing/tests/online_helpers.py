"""Helpers of the online payment tests: book on alice's public API, tell the webhook."""

from __future__ import annotations

import itertools
from decimal import Decimal
from typing import Any

from trainerhub.billing.models import OnlinePayment
from trainerhub.billing.tests.conftest import WEBHOOK_SECRET
from trainerhub.billing.tests.stripe_server import StripeHost, event, sign
from trainerhub.portal.tests.conftest import day_at, make_service, payload

WEBHOOK = "/api/v1/webhooks/stripe/alice"
_ids = itertools.count(1)


def deposit_service(trainer: Any, **kw: Any) -> Any:
    """An 80.00 GBP service with a 20.00 deposit (`deposit=None`: no deposit)."""
    deposit = kw.pop("deposit", Decimal("20"))
    if deposit is not None:
        kw.update(deposit_kind="amount", deposit_value=deposit)
    return make_service(trainer, name=kw.pop("name", "Shoot"), price=kw.pop("price", "80.00"), **kw)


def book(api: Any, service: Any, *, days: int = 2, hour: int = 10, **extra: Any) -> Any:
    return api.post(
        "/api/v1/public/alice/bookings",
        payload(service, day_at(days, hour), **extra),
        format="json",
    )


def online_of(answer: Any) -> OnlinePayment:
    return OnlinePayment.objects.get(pk=answer.json()["payment"]["id"])


def post_event(
    api: Any, kind: str, obj: dict[str, Any], *, event_id: str = "", at: int | None = None
) -> Any:
    body = event(event_id or f"evt_{next(_ids)}", kind, obj)
    return api.post(
        WEBHOOK,
        data=body,
        content_type="application/json",
        HTTP_STRIPE_SIGNATURE=sign(body, WEBHOOK_SECRET, at=at),
    )


def completed(host: StripeHost, online: OnlinePayment) -> dict[str, Any]:
    """The client paid on the stand-in: the session as Stripe's event carries it."""
    return host.pay(online.session_id)


def charge_refunded(host: StripeHost, online: OnlinePayment) -> dict[str, Any]:
    session = host.sessions[online.session_id]
    pi = session["payment_intent"]
    refunds = [r for r in host.refunds.values() if r["payment_intent"] == pi]
    return {
        "id": f"ch_{pi}",
        "object": "charge",
        "payment_intent": pi,
        "currency": session["currency"],
        "amount_refunded": sum(r["amount"] for r in refunds),
        "refunds": {"object": "list", "data": refunds},
    }


__all__ = ["day_at", "make_service", "payload"]
