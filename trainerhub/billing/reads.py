"""What billing hands to the apps below it at ready(): the booking money reader
(scheduling.money_reads) and the invoice email's context and PDF (notifications.documents)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from django.template.loader import render_to_string

from trainerhub.billing import selectors
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
