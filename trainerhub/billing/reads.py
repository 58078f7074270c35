"""What billing hands to the apps below it at ready(): the booking money reader
(scheduling.money_reads) and the invoice email's context and PDF (notifications.documents);
and the reads the apps above it (insights) ask for: what clients paid over their lifetime."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db.models import Sum
from django.template.loader import render_to_string

from trainerhub.billing import selectors
from trainerhub.billing.models import Payment
from trainerhub.core.tenancy import TrainerRef, trainer_id_of
from trainerhub.scheduling.models import Booking
from trainerhub.scheduling.money_reads import Money

if TYPE_CHECKING:
    from django.http import HttpRequest

    from trainerhub.clients.models import Client


class BillingMoneyReads:
    def for_bookings(self, bookings: Sequence[Booking]) -> dict[int, Money]:
        by_trainer: dict[int, list[Booking]] = {}
        for b in bookings:
            by_trainer.setdefault(b.trainer_id, []).append(b)
        out: dict[int, Money] = {}
        for rows in by_trainer.values():
            for pk, m in selectors.bookings_money(rows).items():
                out[pk] = Money(payment_status=m.status, amount_due=m.amount_due)
        return out


def provide_all() -> None:
    from trainerhub.scheduling import money_reads

    money_reads.provide(BillingMoneyReads())


def client_section(request: HttpRequest, client: Client) -> str:
    """The client page's money card, loaded by htmx so the page itself reads nothing more."""
    return render_to_string(
        "billing/_client_money_placeholder.html", {"client": client}, request=request
    )


@dataclass(frozen=True)
class ClientPaid:
    client_id: int
    name: str
    currency: str
    paid: Decimal  # payments minus refunds, all time


def lifetime_paid(*, trainer: TrainerRef) -> list[ClientPaid]:
    """What each client of the trainer paid over their lifetime, per currency: the sum of
    their payment rows (refunds are negative rows), largest first; clients who paid nothing
    net are left out. One aggregate query."""
    rows = (
        Payment.objects.filter(trainer_id=trainer_id_of(trainer))
        .values("client_id", "client__first_name", "client__last_name", "currency")
        .annotate(paid=Sum("amount"))
        .filter(paid__gt=0)
        .order_by("-paid", "client_id")
    )
    return [
        ClientPaid(
            client_id=r["client_id"],
            name=f"{r['client__first_name']} {r['client__last_name']}".strip(),
            currency=r["currency"],
            paid=Decimal(r["paid"]),
        )
        for r in rows
    ]
