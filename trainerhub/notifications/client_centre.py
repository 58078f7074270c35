"""The client's in-app centre in their portal (issue 18.17): what writes its lines.

Subscribed to the same domain events as the outbox (NotificationsConfig.ready), after it, so
a line is written in the transaction of the change it tells: the trainer confirmed, declined,
moved or cancelled a booking (or a series), sent a document to sign (outbox.to_client_email
calls `for_client`), issued an invoice. Only
clients with a portal account get lines (nobody else could read them). Each line has an
outbox row of its own (channel in-app, delivered at once, like the trainer's), whose unique
key makes a repeated event write nothing twice and lets the message log show it.
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from trainerhub.core.events import Handler
from trainerhub.notifications import facts
from trainerhub.notifications.facts import FACTS_KEY
from trainerhub.notifications.models import Channel, Kind, Notification


def _deliver(row: Notification, created: bool) -> None:
    if not created or row.client is None:
        return
    from trainerhub.notifications.messages import client_in_app_text
    from trainerhub.notifications.services import notify_client_in_app

    title, body, url = client_in_app_text(row)
    notify_client_in_app(client=row.client, kind=row.kind, title=title, body=body, url=url)
    row.status, row.sent_at, row.attempts = Notification.Status.SENT, timezone.now(), 1
    row.subject = title[:255]
    row.save(update_fields=["status", "sent_at", "attempts", "subject", "updated_at"])


def for_booking(booking: Any, kind: str, context: dict[str, Any] | None = None) -> None:
    """The line about a booking the trainer changed, with the booking's facts as this change
    left them (later changes must not rewrite what this line tells)."""
    client = booking.client
    if client is None or client.account_id is None:
        return
    row, created = Notification.objects.get_or_create(
        booking=booking,
        kind=kind,
        channel=Channel.INAPP,
        offset_minutes=0,
        booking_start=booking.start,
        booking_sequence=booking.sequence,
        defaults={
            "trainer_id": booking.trainer_id,
            "client_id": booking.client_id,
            "recipient": Notification.Recipient.CLIENT,
            "due_at": timezone.now(),
            "context": {**(context or {}), FACTS_KEY: facts.freeze(booking)},
        },
    )
    _deliver(row, created)


def for_client(client: Any, kind: str, dedupe: str, context: dict[str, Any]) -> None:
    """A line about no booking (a document to sign, an invoice)."""
    if client is None or client.account_id is None:
        return
    row, created = Notification.objects.get_or_create(
        trainer_id=client.trainer_id,
        kind=kind,
        channel=Channel.INAPP,
        dedupe=dedupe[:64],
        booking=None,
        defaults={
            "client": client,
            "recipient": Notification.Recipient.CLIENT,
            "due_at": timezone.now(),
            "context": context,
        },
    )
    _deliver(row, created)


# --- Event handlers (only what the trainer did: the client knows what they did themselves)


def _by_trainer(actor: str) -> bool:
    return actor == "trainer"


def on_booking_created(*, event: str, booking: Any, actor: str = "trainer", **_: Any) -> None:
    # An occurrence of a series is told in the series' one line (on_series_created).
    if _by_trainer(actor) and booking.status == booking.Status.CONFIRMED and not booking.series_id:
        for_booking(booking, Kind.BOOKING_CONFIRMED, {"actor": actor})


def on_booking_confirmed(*, event: str, booking: Any, actor: str = "trainer", **_: Any) -> None:
    if _by_trainer(actor):
        for_booking(booking, Kind.BOOKING_CONFIRMED, {"actor": actor})


def on_booking_declined(
    *, event: str, booking: Any, actor: str = "trainer", message: str = "", **_: Any
) -> None:
    if _by_trainer(actor):
        for_booking(booking, Kind.REQUEST_DECLINED, {"actor": actor, "message": message})


def on_booking_cancelled(
    *,
    event: str,
    booking: Any,
    actor: str = "trainer",
    reason: str = "",
    late: bool = False,
    in_summary: bool = False,
    **_: Any,
) -> None:
    if _by_trainer(actor) and not in_summary:
        context = {"actor": actor, "reason": reason, "late": bool(late)}
        for_booking(booking, Kind.BOOKING_CANCELLED, context)


def on_booking_rescheduled(
    *, event: str, booking: Any, actor: str = "trainer", old_start=None, old_end=None, **_: Any
) -> None:
    if _by_trainer(actor):
        context = {
            "actor": actor,
            "old_start": old_start.isoformat() if old_start else "",
            "old_end": old_end.isoformat() if old_end else "",
        }
        for_booking(booking, Kind.BOOKING_RESCHEDULED, context)


def on_series_created(
    *, event: str, series: Any, bookings: Any, refused=(), actor: str = "trainer", **_: Any
) -> None:
    confirmed = [b for b in bookings if b.status == b.Status.CONFIRMED]
    if _by_trainer(actor) and confirmed:
        context = facts.series_booked(series, confirmed, refused, actor)
        for_booking(confirmed[0], Kind.SERIES_BOOKED, context)


def on_series_cancelled(
    *, event: str, series: Any, bookings: Any, actor: str = "trainer", reason: str = "", **_: Any
) -> None:
    if _by_trainer(actor) and bookings:
        context = facts.series_cancelled(bookings, actor, reason)
        for_booking(bookings[0], Kind.SERIES_CANCELLED, context)


def on_invoice_issued(*, event: str, invoice: Any, **_: Any) -> None:
    for_client(
        invoice.client, Kind.INVOICE_SENT, f"invoice-issued:{invoice.pk}", {"invoice": invoice.pk}
    )


HANDLERS: dict[str, Handler] = {
    "booking.created": on_booking_created,
    "booking.confirmed": on_booking_confirmed,
    "booking.declined": on_booking_declined,
    "booking.cancelled": on_booking_cancelled,
    "booking.rescheduled": on_booking_rescheduled,
    "series.created": on_series_created,
    "series.cancelled": on_series_cancelled,
    "invoice.issued": on_invoice_issued,
}
