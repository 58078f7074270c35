"""The JSON bodies of deliveries: what an event tells, frozen when the change commits.

Event objects are read by their attributes (payments, invoices and contracts live in apps
above this one, so they are not imported). Times are ISO 8601 in UTC; money is a decimal
string with its currency."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

VERSION = 1


def _iso(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat().replace("+00:00", "Z")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _money(value: Any) -> str | None:
    return None if value is None else f"{Decimal(value):.2f}"


def client_data(client: Any) -> dict[str, Any]:
    return {
        "id": client.pk,
        "first_name": client.first_name,
        "last_name": client.last_name,
        "email": client.email,
        "phone": client.phone,
        "status": client.status,
    }


def booking_data(booking: Any) -> dict[str, Any]:
    return {
        "id": booking.pk,
        "status": booking.status,
        "start": _iso(booking.start),
        "end": _iso(booking.end),
        "service": {"id": booking.service_id, "name": booking.service.name},
        "client": client_data(booking.client),
        "price": _money(booking.price),
        "currency": booking.currency,
        "location": booking.location,
    }


def payment_data(payment: Any) -> dict[str, Any]:
    return {
        "id": payment.pk,
        "amount": _money(payment.amount),
        "currency": payment.currency,
        "method": payment.method,
        "paid_at": _iso(payment.paid_at),
        "client": client_data(payment.client),
        "booking_id": payment.booking_id,
        "invoice_id": payment.invoice_id,
    }


def invoice_data(invoice: Any) -> dict[str, Any]:
    return {
        "id": invoice.pk,
        "number": invoice.number,
        "kind": invoice.kind,
        "currency": invoice.currency,
        "subtotal": _money(invoice.subtotal),
        "tax_total": _money(invoice.tax_total),
        "total": _money(invoice.total),
        "issued_on": _iso(invoice.issued_on),
        "due_on": _iso(invoice.due_on),
        "client": client_data(invoice.client),
    }


def contract_data(contract: Any) -> dict[str, Any]:
    return {
        "id": contract.pk,
        "title": contract.title,
        "status": contract.status,
        "signed_at": _iso(getattr(contract, "signed_at", None)),
        "booking_id": contract.booking_id,
        "client": client_data(contract.client),
    }


def _booking_extra(event: str, kwargs: dict[str, Any]) -> dict[str, Any]:
    extra: dict[str, Any] = {"actor": kwargs.get("actor", "")}
    if event == "booking.cancelled":
        extra.update(reason=kwargs.get("reason") or "", late=bool(kwargs.get("late")))
    if event == "booking.rescheduled":
        extra.update(old_start=_iso(kwargs.get("old_start")), old_end=_iso(kwargs.get("old_end")))
    return extra


def subject_of(event: str, kwargs: dict[str, Any]) -> Any:
    """The row the event is about (its trainer owns the endpoints to tell)."""
    kind = event.split(".", 1)[0]
    return kwargs[kind]


def data_for(event: str, kwargs: dict[str, Any]) -> tuple[dict[str, Any], int | None]:
    """The event's `data` object and the id of the client it is about."""
    kind = event.split(".", 1)[0]
    row = kwargs[kind]
    if kind == "booking":
        return {**booking_data(row), **_booking_extra(event, kwargs)}, row.client_id
    if kind == "client":
        data = client_data(row)
        if event == "client.updated":
            data["changed"] = list(kwargs.get("changed") or [])
        return data, row.pk
    builders = {"payment": payment_data, "invoice": invoice_data, "contract": contract_data}
    return builders[kind](row), row.client_id


def envelope(
    *, event: str, event_id: str, created: datetime, data: dict[str, Any]
) -> dict[str, Any]:
    return {
        "version": VERSION,
        "id": event_id,
        "type": event,
        "created": _iso(created),
        "data": data,
    }
