"""What billing reads of session packages (trainerhub.packages, the layer below).

Kept in one module so the rest of billing names one function per fact: which bookings a
package credit pays for, what a client package is (name, price, currency, client), and the
value of the credits consumed in a period (revenue earned).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from trainerhub.core.tenancy import TrainerRef, trainer_id_of


@dataclass(frozen=True)
class PackageFacts:
    id: int
    client_id: int
    name: str
    sessions: int
    price: Decimal
    currency: str


def _selectors() -> Any:
    from trainerhub.packages import selectors

    return selectors


def covered_booking_ids(*, trainer: TrainerRef, booking_ids: Iterable[int]) -> set[int]:
    """The bookings among `booking_ids` that a package credit pays for (one query)."""
    ids = list(booking_ids)
    if not ids:
        return set()
    return set(_selectors().covered_booking_ids(trainer_id_of(trainer), ids))


def package_facts(*, trainer: TrainerRef, pk: Any) -> PackageFacts | None:
    """The trainer's client package with this id, or None (another trainer's, unknown)."""
    from trainerhub.packages.models import ClientPackage

    row = pk if isinstance(pk, ClientPackage) else None
    if row is None:
        try:
            pk = int(pk)
        except (TypeError, ValueError):
            return None
        row = ClientPackage.objects.filter(trainer_id=trainer_id_of(trainer), pk=pk).first()
    if row is None or row.trainer_id != trainer_id_of(trainer):
        return None
    return PackageFacts(
        id=row.pk,
        client_id=row.client_id,
        name=row.name,
        sessions=row.sessions_total,
        price=Decimal(row.price),
        currency=row.currency,
    )


def credit_uses(*, trainer: TrainerRef, start: datetime, end: datetime) -> list[Any]:
    """Credits spent in [start, end) (sessions delivered on a credit, forfeited credits),
    each with its value at its share of the package price (packages.selectors.CreditUse)."""
    return list(_selectors().credit_uses(trainer=trainer_id_of(trainer), start=start, end=end))
