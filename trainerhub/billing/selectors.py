"""Reads of the money ledger. Every balance and payment status is derived here from the sums
of the payments (refunds are negative payments), never stored; each list reads a fixed number
of queries whatever its size."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db.models import (
    DecimalField,
    Exists,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from trainerhub.billing import packages_bridge
from trainerhub.billing.models import BusinessDetails, Invoice, InvoiceLine, Payment
from trainerhub.billing.money import ZERO, cents
from trainerhub.core.access import get_owned_or_404
from trainerhub.core.tenancy import RowRef, TrainerRef, id_of, trainer_id_of
from trainerhub.scheduling.models import Booking

MONEY = DecimalField(max_digits=14, decimal_places=2)
# Sessions that count as owed once they took place: delivered, or still "confirmed" after it.
OWED_STATUSES = (Booking.Status.COMPLETED, Booking.Status.CONFIRMED)


class PaymentStatus:
    UNPAID = "unpaid"
    PARTIAL = "partial"
    PAID = "paid"
    REFUNDED = "refunded"
    COVERED = "covered"

    LABELS = {
        "unpaid": "Unpaid",
        "partial": "Partly paid",
        "paid": "Paid",
        "refunded": "Refunded",
        "covered": "Package credit",
    }


# --- Business details ---------------------------------------------------------------------


def business_details_for(*, trainer: TrainerRef) -> BusinessDetails:
    """The trainer's saved details, or the defaults (unsaved) when they set none yet."""
    tid = trainer_id_of(trainer)
    row = BusinessDetails.objects.filter(trainer_id=tid).first()
    return row or BusinessDetails(trainer_id=tid)


# --- Bookings -----------------------------------------------------------------------------


def booking_total(booking: Booking) -> Decimal:
    """What the session costs: its price snapshot's total (base + add-ons - discount)."""
    return Decimal(booking.price)


def booking_deposit(booking: Booking) -> Decimal:
    """The deposit the snapshot asks for before the session (0: none)."""
    return Decimal(getattr(booking, "deposit_due", 0) or 0)


@dataclass(frozen=True)
class BookingMoney:
    status: str
    total: Decimal
    paid: Decimal  # received minus refunded
    amount_due: Decimal
    deposit_due: Decimal
    currency: str

    @property
    def label(self) -> str:
        return PaymentStatus.LABELS[self.status]


def _status(total: Decimal, received: Decimal, refunded: Decimal) -> str:
    net = received - refunded
    if received > 0 and net <= 0:
        return PaymentStatus.REFUNDED
    if net >= total:
        return PaymentStatus.PAID
    if net > 0:
        return PaymentStatus.PARTIAL
    return PaymentStatus.UNPAID


def _sums_by(rows: QuerySet[Payment], key: str) -> dict[int, tuple[Decimal, Decimal]]:
    """Per `key`: (received, refunded) in one grouped query."""
    sums = rows.values(key).annotate(
        received=Coalesce(Sum("amount", filter=Q(amount__gt=0)), Value(ZERO), output_field=MONEY),
        refunded=Coalesce(Sum("amount", filter=Q(amount__lt=0)), Value(ZERO), output_field=MONEY),
    )
    return {r[key]: (Decimal(r["received"]), -Decimal(r["refunded"])) for r in sums}


def _invoiced_states(booking_ids: list[int]) -> dict[int, str]:
    """Bookings billed on an issued invoice: the invoice's derived state (paid/partially_paid/
    issued), one query."""
    rows = (
        InvoiceLine.objects.filter(
            booking_id__in=booking_ids,
            invoice__state=Invoice.State.ISSUED,
            invoice__kind=Invoice.Kind.INVOICE,
        )
        .annotate(paid=Coalesce(Subquery(_paid_subquery()), Value(ZERO), output_field=MONEY))
        .values_list("booking_id", "invoice__total", "paid")
    )
    out: dict[int, str] = {}
    for booking_id, total, paid in rows:
        out[booking_id] = _invoice_state(Invoice.State.ISSUED, Decimal(total), Decimal(paid))
    return out


def bookings_money(bookings: Sequence[Booking]) -> dict[int, BookingMoney]:
    """Payment status and amount due of many bookings (of one trainer) in three queries."""
    if not bookings:
        return {}
    ids = [b.pk for b in bookings]
    trainer_id = bookings[0].trainer_id
    sums = _sums_by(Payment.objects.filter(trainer_id=trainer_id, booking_id__in=ids), "booking")
    covered = packages_bridge.covered_booking_ids(trainer=trainer_id, booking_ids=ids)
    invoiced = _invoiced_states(ids)
    out: dict[int, BookingMoney] = {}
    for b in bookings:
        total = booking_total(b)
        received, refunded = sums.get(b.pk, (ZERO, ZERO))
        net = received - refunded
        if b.pk in covered:
            status = PaymentStatus.COVERED
        elif invoiced.get(b.pk) == "paid" and net < total:
            status = PaymentStatus.PAID
        else:
            status = _status(total, received, refunded)
        settled = status in (PaymentStatus.COVERED, PaymentStatus.PAID)
        due = ZERO if settled else max(total - net, ZERO)
        deposit = booking_deposit(b)
        deposit_due = ZERO if settled or not deposit else max(deposit - net, ZERO)
        out[b.pk] = BookingMoney(
            status=status,
            total=cents(total),
            paid=cents(net),
            amount_due=cents(due),
            deposit_due=cents(deposit_due),
            currency=b.currency,
        )
    return out


def booking_money(booking: Booking) -> BookingMoney:
    return bookings_money([booking])[booking.pk]


# --- Invoices -----------------------------------------------------------------------------


def _paid_subquery() -> QuerySet[Any]:
    return (
        Payment.objects.filter(invoice_id=OuterRef("invoice_id"))
        .values("invoice_id")
        .annotate(s=Sum("amount"))
        .values("s")
    )


INVOICE_STATUS_LABELS = {
    "draft": "Draft",
    "issued": "Issued",
    "paid": "Paid",
    "partially_paid": "Partly paid",
    "void": "Void",
}


def _invoice_state(state: str, total: Decimal, paid: Decimal) -> str:
    if state != Invoice.State.ISSUED:
        return state
    if total > 0 and paid >= total:
        return "paid"
    if paid > 0:
        return "partially_paid"
    return "issued"


def _with_paid(qs: QuerySet[Invoice]) -> QuerySet[Any]:
    def sums(condition: Q) -> Any:
        rows = (
            Payment.objects.filter(condition, invoice_id=OuterRef("pk"))
            .values("invoice_id")
            .annotate(s=Sum("amount"))
            .values("s")
        )
        return Coalesce(Subquery(rows), Value(ZERO), output_field=MONEY)

    return qs.annotate(paid_sum=sums(Q()), received_sum=sums(Q(amount__gt=0)))


def invoice_status(invoice: Invoice) -> str:
    paid = getattr(invoice, "paid_sum", None)
    if paid is None:
        paid = invoice_paid(invoice)
    return _invoice_state(invoice.state, Decimal(invoice.total), Decimal(paid))


def invoice_paid(invoice: Invoice) -> Decimal:
    paid = getattr(invoice, "paid_sum", None)
    if paid is not None:
        return Decimal(paid)
    total = Payment.objects.filter(invoice=invoice).aggregate(s=Sum("amount"))["s"]
    return Decimal(total or ZERO)


def invoice_outstanding(invoice: Invoice) -> Decimal:
    if invoice.state != Invoice.State.ISSUED or invoice.kind != Invoice.Kind.INVOICE:
        return ZERO
    return max(Decimal(invoice.total) - invoice_paid(invoice), ZERO)


def invoice_payment_status(invoice: Invoice) -> str:
    """unpaid / partial / paid / refunded, from the invoice's payments."""
    received = getattr(invoice, "received_sum", None)
    if received is None:
        received = Payment.objects.filter(invoice=invoice, amount__gt=0).aggregate(s=Sum("amount"))[
            "s"
        ]
    received = Decimal(received or ZERO)
    return _status(Decimal(invoice.total), received, received - invoice_paid(invoice))


def invoices_for_trainer(
    *,
    trainer: TrainerRef,
    client: RowRef | None = None,
    status: str | None = None,
) -> QuerySet[Any]:
    qs = _with_paid(
        Invoice.objects.filter(trainer_id=trainer_id_of(trainer))
        .select_related("client", "credit_note", "credit_note_for")
        .prefetch_related("lines")
    )
    if client is not None:
        qs = qs.filter(client_id=id_of(client))
    if status in ("draft", "void"):
        qs = qs.filter(state=status)
    elif status == "paid":
        qs = qs.filter(state="issued", paid_sum__gte=F("total"), total__gt=0)
    elif status == "partially_paid":
        qs = qs.filter(state="issued", paid_sum__gt=0).exclude(paid_sum__gte=F("total"))
    elif status == "issued":
        qs = qs.filter(state="issued", paid_sum__lte=0)
    return qs.order_by("-created_at", "-id")


def invoice_get_for_trainer(*, trainer: TrainerRef, pk: Any) -> Invoice:
    qs = _with_paid(
        Invoice.objects.select_related("client", "credit_note", "credit_note_for").prefetch_related(
            "lines"
        )
    )
    row: Invoice = get_owned_or_404(qs, trainer=trainer, pk=pk)
    return row


def invoice_lines(invoice: Invoice) -> list[InvoiceLine]:
    return list(invoice.lines.all())


def invoiced_booking_ids(*, trainer: TrainerRef, booking_ids: Iterable[int]) -> dict[int, str]:
    """Bookings already on a draft or issued invoice: booking id -> the invoice's label."""
    rows = InvoiceLine.objects.filter(
        trainer_id=trainer_id_of(trainer),
        booking_id__in=list(booking_ids),
        invoice__kind=Invoice.Kind.INVOICE,
    ).exclude(invoice__state=Invoice.State.VOID)
    return {
        b: (number or f"draft {inv}")
        for b, number, inv in rows.values_list("booking_id", "invoice__number", "invoice_id")
    }


# --- Payments -----------------------------------------------------------------------------

PAYMENT_STATUSES = {
    "received": "Received, nothing refunded",
    "partially_refunded": "Partly refunded",
    "refunded": "Fully refunded",
    "refund": "Refunds given",
}


def _with_refunded(qs: QuerySet[Payment]) -> QuerySet[Any]:
    refunds = (
        Payment.objects.filter(refund_of_id=OuterRef("pk"))
        .values("refund_of_id")
        .annotate(s=Sum("amount"))
        .values("s")
    )
    return qs.annotate(refunded_sum=Coalesce(Subquery(refunds), Value(ZERO), output_field=MONEY))


def payments_for_trainer(
    *,
    trainer: TrainerRef,
    start: datetime | None = None,
    end: datetime | None = None,
    client: RowRef | None = None,
    method: str | None = None,
    booking: RowRef | None = None,
    invoice: RowRef | None = None,
    client_package: int | None = None,
    status: str | None = None,
) -> QuerySet[Any]:
    qs = _with_refunded(
        Payment.objects.filter(trainer_id=trainer_id_of(trainer)).select_related(
            "client", "booking", "booking__service", "invoice", "recorded_by"
        )
    )
    if start is not None:
        qs = qs.filter(paid_at__gte=start)
    if end is not None:
        qs = qs.filter(paid_at__lt=end)
    if client is not None:
        qs = qs.filter(client_id=id_of(client))
    if method:
        qs = qs.filter(method=method)
    if booking is not None:
        qs = qs.filter(booking_id=id_of(booking))
    if invoice is not None:
        qs = qs.filter(invoice_id=id_of(invoice))
    if client_package is not None:
        qs = qs.filter(client_package_id=client_package)
    if status == "refund":
        qs = qs.filter(amount__lt=0)
    elif status == "received":
        qs = qs.filter(amount__gt=0, refunded_sum=0)
    elif status == "refunded":
        qs = qs.filter(amount__gt=0, refunded_sum__lte=-F("amount"))
    elif status == "partially_refunded":
        qs = qs.filter(amount__gt=0, refunded_sum__lt=0).exclude(refunded_sum__lte=-F("amount"))
    return qs.order_by("-paid_at", "-id")


def payment_get_for_trainer(*, trainer: TrainerRef, pk: Any) -> Payment:
    qs = _with_refunded(Payment.objects.select_related("client", "booking", "invoice"))
    row: Payment = get_owned_or_404(qs, trainer=trainer, pk=pk)
    return row


def refundable(payment: Payment) -> Decimal:
    """What is left of a payment to refund."""
    if payment.amount <= 0:
        return ZERO
    refunded = getattr(payment, "refunded_sum", None)
    if refunded is None:
        refunded = Payment.objects.filter(refund_of=payment).aggregate(s=Sum("amount"))["s"]
    return max(Decimal(payment.amount) + Decimal(refunded or ZERO), ZERO)


def payment_totals(qs: QuerySet[Payment]) -> dict[str, Decimal]:
    """Received, refunded and net of a filtered list, per currency (one query)."""
    rows = (
        qs.order_by()
        .values("currency")
        .annotate(
            received=Coalesce(
                Sum("amount", filter=Q(amount__gt=0)), Value(ZERO), output_field=MONEY
            ),
            refunded=Coalesce(
                Sum("amount", filter=Q(amount__lt=0)), Value(ZERO), output_field=MONEY
            ),
        )
    )
    return {r["currency"]: Decimal(r["received"]) + Decimal(r["refunded"]) for r in rows}


# --- Who owes what ------------------------------------------------------------------------


@dataclass
class ClientBalance:
    client_id: int
    name: str
    currency: str
    sessions_due: Decimal = ZERO
    invoices_due: Decimal = ZERO
    items: int = 0
    oldest: date | None = None
    bookings: list[tuple[Booking, BookingMoney]] = field(default_factory=list)

    @property
    def total(self) -> Decimal:
        return self.sessions_due + self.invoices_due


def balances(
    *, trainer: TrainerRef, client: RowRef | None = None, now: datetime | None = None
) -> list[ClientBalance]:
    """What each client owes: sessions that took place and are not settled (not on an issued
    invoice, not paid by a credit), plus issued invoices' open amounts; largest first.
    A fixed number of queries whatever the number of clients and sessions."""
    tid = trainer_id_of(trainer)
    now = now or timezone.now()
    bookings_qs = Booking.objects.filter(
        trainer_id=tid, status__in=OWED_STATUSES, start__lte=now
    ).select_related("client", "service")
    invoices_qs = _with_paid(
        Invoice.objects.filter(
            trainer_id=tid, state=Invoice.State.ISSUED, kind=Invoice.Kind.INVOICE
        ).select_related("client")
    )
    if client is not None:
        bookings_qs = bookings_qs.filter(client_id=id_of(client))
        invoices_qs = invoices_qs.filter(client_id=id_of(client))
    bookings = list(bookings_qs.order_by("start"))
    money = bookings_money(bookings)
    invoiced = set(_invoiced_states([b.pk for b in bookings]))
    result: dict[tuple[int, str], ClientBalance] = {}

    def entry(client_row: Any, currency: str) -> ClientBalance:
        key = (client_row.pk, currency)
        if key not in result:
            result[key] = ClientBalance(client_row.pk, client_row.full_name, currency)
        return result[key]

    for b in bookings:
        m = money[b.pk]
        if b.pk in invoiced or m.amount_due <= 0:
            continue
        row = entry(b.client, b.currency)
        row.sessions_due += m.amount_due
        row.items += 1
        row.bookings.append((b, m))
        day = b.start.date()
        row.oldest = day if row.oldest is None else min(row.oldest, day)
    for inv in invoices_qs:
        due = max(Decimal(inv.total) - Decimal(inv.paid_sum), ZERO)
        if due <= 0:
            continue
        row = entry(inv.client, inv.currency)
        row.invoices_due += due
        row.items += 1
        if inv.due_on:
            row.oldest = inv.due_on if row.oldest is None else min(row.oldest, inv.due_on)
    return sorted(result.values(), key=lambda r: (-r.total, r.name))


def client_outstanding(*, trainer: TrainerRef, client: RowRef) -> list[ClientBalance]:
    return balances(trainer=trainer, client=client)


def outstanding_total(*, trainer: TrainerRef, currency: str) -> Decimal:
    return sum((r.total for r in balances(trainer=trainer) if r.currency == currency), ZERO)


def client_payments(*, trainer: TrainerRef, client: RowRef, limit: int = 20) -> list[Payment]:
    return list(payments_for_trainer(trainer=trainer, client=client)[:limit])


# --- What the pages offer to choose -------------------------------------------------------

UNBILLABLE = (Booking.Status.DECLINED, Booking.Status.CANCELLED)


def unbilled_bookings(*, trainer: TrainerRef, client: RowRef, limit: int = 100) -> list[Booking]:
    """The client's sessions no invoice (draft or issued) bills yet, latest first."""
    tid = trainer_id_of(trainer)
    billed = InvoiceLine.objects.filter(
        trainer_id=tid, booking_id=OuterRef("pk"), invoice__kind=Invoice.Kind.INVOICE
    ).exclude(invoice__state=Invoice.State.VOID)
    rows = (
        Booking.objects.filter(trainer_id=tid, client_id=id_of(client))
        .exclude(status__in=UNBILLABLE)
        .exclude(Exists(billed))
        .select_related("service")
        .order_by("-start")[:limit]
    )
    return list(rows)


def payable_items(*, trainer: TrainerRef, client: RowRef, tz_name: str) -> list[tuple[str, str]]:
    """What a payment from the client page can be for: sessions with an amount due, issued
    invoices still open, the client's packages. Values "b:<id>", "i:<id>", "p:<id>"."""
    from trainerhub.core.timezones import to_local
    from trainerhub.packages.models import ClientPackage

    tid = trainer_id_of(trainer)
    bookings = list(
        Booking.objects.filter(trainer_id=tid, client_id=id_of(client))
        .exclude(status__in=(Booking.Status.DECLINED,))
        .select_related("service")
        .order_by("-start")[:60]
    )
    money = bookings_money(bookings)
    items: list[tuple[str, str]] = []
    for b in bookings:
        m = money[b.pk]
        if m.amount_due <= 0:
            continue
        when = to_local(b.start, tz_name)
        items.append(
            (
                f"b:{b.pk}",
                f"{b.service.name}, {when:%d %b %Y %H:%M} · {m.amount_due} {m.currency} due",
            )
        )
    for inv in _with_paid(
        Invoice.objects.filter(
            trainer_id=tid, client_id=id_of(client), state="issued", kind="invoice"
        )
    ):
        due = invoice_outstanding(inv)
        if due > 0:
            items.append((f"i:{inv.pk}", f"Invoice {inv.number} · {due} {inv.currency} open"))
    for cp in ClientPackage.objects.filter(trainer_id=tid, client_id=id_of(client)).order_by(
        "-purchased_at"
    )[:20]:
        items.append((f"p:{cp.pk}", f"Package {cp.name} ({cp.price} {cp.currency})"))
    return items


def invoices_for_account(*, user: Any) -> QuerySet[Any]:
    """A signed-in client's invoices with every trainer they book (never drafts)."""
    return _with_paid(
        Invoice.objects.filter(client__account_id=user.pk)
        .exclude(state=Invoice.State.DRAFT)
        .select_related("trainer", "client")
    ).order_by("-issued_on", "-id")


def invoice_for_account(*, user: Any, pk: Any) -> Invoice:
    from trainerhub.core.access import row_or_404

    row: Invoice = row_or_404(invoices_for_account(user=user), pk)
    return row
