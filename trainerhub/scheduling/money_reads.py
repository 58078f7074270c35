"""The reads of a booking's money that scheduling answers with (payment status, amount due),
supplied by the billing app.

Billing builds on scheduling (a payment pays for a booking), so scheduling never imports it
back: billing hands its reader over when it loads (`BillingConfig.ready`), the way the
clients app hands over `client_reads`. `for_bookings` reads many bookings at once (a list
answer reads a fixed number of queries, whatever its length). Without billing installed a
booking reads as unpaid with its price due.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from trainerhub.scheduling.models import Booking


@dataclass(frozen=True)
class Money:
    payment_status: str  # unpaid | partial | paid | refunded | covered
    amount_due: Decimal


class MoneyReads(Protocol):
    def for_bookings(self, bookings: Sequence[Booking]) -> dict[int, Money]: ...


_source: list[MoneyReads] = []


def provide(source: MoneyReads) -> None:
    _source[:] = [source]


def _fallback(bookings: Sequence[Booking]) -> dict[int, Money]:
    return {b.pk: Money("unpaid", Decimal(b.price)) for b in bookings}


def for_bookings(bookings: Sequence[Booking]) -> dict[int, Money]:
    if not _source:
        return _fallback(bookings)
    return _source[0].for_bookings(bookings)


def for_booking(booking: Booking) -> Money:
    return for_bookings([booking])[booking.pk]


def money_of(booking: Booking) -> Money:
    """The booking's money, read once per object: a list answer fills it for the whole page
    first (`prefetch`), a single answer reads it here."""
    cached: Money | None = getattr(booking, "_money", None)
    if cached is None:
        cached = for_booking(booking)
        booking._money = cached  # type: ignore[attr-defined]
    return cached


def prefetch(bookings: Sequence[Booking]) -> None:
    missing = [b for b in bookings if getattr(b, "_money", None) is None]
    if not missing:
        return
    money = for_bookings(missing)
    for b in missing:
        b._money = money[b.pk]  # type: ignore[attr-defined]
