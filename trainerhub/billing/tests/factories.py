"""Payments and invoices through billing's services; clients, services and bookings from the
shared factories."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

from django.utils import timezone

from trainerhub.billing import services
from trainerhub.billing.models import Invoice, Payment
from trainerhub.core.tests.factories import local_at, make_booking, make_client, make_service

__all__ = [
    "draft_invoice",
    "local_at",
    "make_booking",
    "make_client",
    "make_service",
    "past_booking",
    "pay",
]


def past_booking(client: Any, *, days_ago: int = 2, price: str = "60.00", **kw: Any) -> Any:
    service = kw.pop("service", None) or make_service(
        client.trainer, price=Decimal(price), currency=kw.pop("currency", "GBP")
    )
    start = (timezone.now() - timedelta(days=days_ago)).replace(
        hour=10, minute=0, second=0, microsecond=0
    )
    return make_booking(client, start, service=service, **kw)


def pay(booking: Any, amount: str, method: str = "cash", **kw: Any) -> Payment:
    return services.payment_record(
        trainer=booking.trainer_id,
        client=booking.client,
        booking=booking,
        amount=amount,
        method=method,
        **kw,
    )


def draft_invoice(client: Any, *lines: tuple[str, str, str, str], **kw: Any) -> Invoice:
    rows = [
        {"description": d, "quantity": q, "unit_price": p, "tax_rate": r} for d, q, p, r in lines
    ] or [{"description": "Coaching", "quantity": "1", "unit_price": "100.00", "tax_rate": "20"}]
    return services.invoice_create(
        trainer=client.trainer, client=client, lines=rows, currency=kw.pop("currency", "GBP"), **kw
    )
