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
from typing import TYPE_CHECKING, Any, Protocol

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

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


# --- The two fields every booking answer of the API carries -------------------------------


class BookingMoneyList(serializers.ListSerializer):
    """A list answer reads the money of its whole page at once (a fixed number of queries)."""

    def to_representation(self, data: Any) -> list[Any]:
        rows = list(data.all() if hasattr(data, "all") else data)
        prefetch(rows)
        return super().to_representation(rows)


class BookingMoneyFields(serializers.Serializer):
    """`payment_status` and `amount_due` (a decimal string with two places) of a booking; mix
    into a booking serializer and set `list_serializer_class = BookingMoneyList` in its Meta."""

    payment_status = serializers.SerializerMethodField()
    amount_due = serializers.SerializerMethodField()

    @extend_schema_field(
        serializers.ChoiceField(choices=["unpaid", "partial", "paid", "refunded", "covered"])
    )
    def get_payment_status(self, obj: Booking) -> str:
        return money_of(obj).payment_status

    @extend_schema_field(OpenApiTypes.DECIMAL)
    def get_amount_due(self, obj: Booking) -> str:
        return f"{money_of(obj).amount_due:.2f}"
