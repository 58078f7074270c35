"""Domain events: how one domain tells others that something happened, inside the same
database transaction as the change itself.

Handlers run synchronously where `emit` is called, so a handler that writes a row (the
notification outbox, the activity feed) commits or rolls back together with the change that
caused it. Handlers must not do I/O beyond the database; sending happens later, in the worker.

Event names and payloads (keyword arguments):
    booking.created      booking, actor ("trainer" | "client" | "api" | "system"),
                         purchase (scheduling.purchase.Purchase: add-ons, discount code,
                         client package, pay at session)
    booking.confirmed    booking, actor
    booking.declined     booking, actor, message
    booking.cancelled    booking, actor, reason, late (bool)
    booking.rescheduled  booking, actor, old_start, old_end
    booking.completed    booking, actor
    booking.no_show      booking, actor
    booking.edited       booking, actor, changes (dict)
    booking.meeting_ready booking (its video meeting was made after it: a Zoom meeting, by
                         the worker; trainerhub.meetings)
    client.created       client, actor
    client.updated       client, changed (sorted names of the fields given)
    payment.received     payment (billing.Payment, just recorded; refunds are not)
    invoice.issued       invoice (billing.Invoice, numbered and issued)
    contract.signed      contract (contracts.Contract, signed by the client)
    client_package.sold  client_package (packages.ClientPackage, its `grant` written),
                         payment (None | {amount: Decimal, method: str, paid_at: datetime}):
                         billing records the payment for the package in this transaction
    trainer.registered   user
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from typing import Any

Handler = Callable[..., None]
_handlers: dict[str, list[Handler]] = defaultdict(list)


def subscribe(event: str, handler: Handler) -> None:
    if handler not in _handlers[event]:
        _handlers[event].append(handler)


def emit(event: str, **payload: Any) -> None:
    for handler in list(_handlers.get(event, ())):
        handler(event=event, **payload)
