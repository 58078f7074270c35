"""Each client's last visit and next booking, kept on the client row.

`Client.last_visit_at` is the start of the client's last completed session (completed
sessions have always started, so it never goes stale); `next_booking_at` the start of their
next pending or confirmed booking as of the last change. Every booking event recomputes both
in the booking's own transaction (one UPDATE), so the list sorts and filters by indexed
columns. A next booking whose time has passed is recomputed by `refresh_passed` before the
list reads the columns, so what the list shows is always exact.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db import connection
from django.utils import timezone

from trainerhub.clients.models import Client
from trainerhub.core.events import subscribe
from trainerhub.scheduling.models import Booking

# As clients.selectors.ACTIVE: what counts as a next booking.
ACTIVE = (Booking.Status.PENDING, Booking.Status.CONFIRMED)
EVENTS = (
    "booking.created",
    "booking.confirmed",
    "booking.declined",
    "booking.cancelled",
    "booking.rescheduled",
    "booking.completed",
    "booking.no_show",
)

_LAST = "SELECT MAX(b.start) FROM {bookings} b WHERE b.client_id = {client} AND b.status = %s"
_NEXT = (
    "SELECT MIN(b.start) FROM {bookings} b WHERE b.client_id = {client} "
    "AND b.status IN (%s, %s) AND b.start > %s"
)


def _sql(where: str) -> str:
    """One UPDATE that sets both columns from the client's bookings (plain SQL: it runs
    inside every booking write, where the ORM's query building cost more than the query)."""
    tables = {"bookings": Booking._meta.db_table, "client": "c.id"}
    # Table names come from the models; every value is a parameter.
    return (
        f"UPDATE {Client._meta.db_table} AS c SET "  # noqa: S608
        f"last_visit_at = ({_LAST.format(**tables)}), "
        f"next_booking_at = ({_NEXT.format(**tables)}) "
        f"WHERE {where}"
    )


def _params(now: datetime) -> list[Any]:
    return [
        Booking.Status.COMPLETED,
        *ACTIVE,
        connection.ops.adapt_datetimefield_value(now),
    ]


def visits_recompute(*, client_id: int, now: datetime | None = None) -> None:
    """Set the client's last visit and next booking from their bookings."""
    with connection.cursor() as cursor:
        cursor.execute(_sql("c.id = %s"), [*_params(now or timezone.now()), client_id])


def refresh_passed(*, trainer_id: int, now: datetime | None = None) -> int:
    """Recompute the trainer's clients whose next booking has started since it was written
    (indexed: trainer, next_booking_at). Answers how many were recomputed."""
    now = now or timezone.now()
    stamp = connection.ops.adapt_datetimefield_value(now)
    with connection.cursor() as cursor:
        cursor.execute(
            _sql("c.trainer_id = %s AND c.next_booking_at <= %s"),
            [*_params(now), trainer_id, stamp],
        )
        return int(cursor.rowcount or 0)


def on_booking_event(*, booking: Booking, **_: Any) -> None:
    visits_recompute(client_id=booking.client_id)


def register() -> None:
    for event in EVENTS:
        subscribe(event, on_booking_event)
