"""Revenue figures, each one aggregate query: cash (payments minus refunds received in the
period), earned (sessions delivered in it, plus package credits spent in it at their share of
the package price), outstanding (what clients owe now), by month, week or service.

Cash reconciles with the ledger by construction: it is the sum of the payment rows (refunds
are negative rows) whose `paid_at` falls in the period, in the trainer's currency.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.db import connection
from django.db.models import (
    DecimalField,
    F,
    OuterRef,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce, TruncMonth, TruncWeek

from trainerhub.billing import packages_bridge
from trainerhub.billing.models import Invoice, InvoiceLine, Payment
from trainerhub.billing.money import ZERO, cents
from trainerhub.core.tenancy import TrainerRef, trainer_id_of
from trainerhub.core.timezones import local_day_bounds, zone
from trainerhub.scheduling.models import Booking

MONEY = DecimalField(max_digits=14, decimal_places=2)
GROUPS = ("month", "week", "service")
DELIVERED = Booking.Status.COMPLETED


@dataclass
class RevenueRow:
    key: str
    label: str
    cash: Decimal = ZERO
    earned: Decimal = ZERO


@dataclass
class TopClient:
    client_id: int
    name: str
    cash: Decimal


@dataclass
class Revenue:
    first_day: date
    last_day: date
    currency: str
    cash: Decimal
    earned: Decimal
    outstanding: Decimal
    group: str
    rows: list[RevenueRow] = field(default_factory=list)
    top_clients: list[TopClient] = field(default_factory=list)


def _ledger_booking_ids(tid: int, kinds: tuple[str, ...], *, net_below: int | None = None) -> Any:
    """Ids of bookings with ledger entries of `kinds` (a NOT IN subquery PostgreSQL hashes
    once, instead of a correlated lookup per booking)."""
    from trainerhub.packages.models import LedgerEntry

    rows = LedgerEntry.objects.filter(trainer_id=tid, kind__in=kinds, booking_id__isnull=False)
    if net_below is not None:
        return (
            rows.values("booking_id")
            .annotate(net=Sum("sessions"))
            .filter(net__lt=net_below)
            .values("booking_id")
        )
    return rows.values("booking_id")


def _paid_for(key: str) -> Any:
    rows = (
        Payment.objects.filter(**{key: OuterRef("pk")})
        .values(key)
        .annotate(s=Sum("amount"))
        .values("s")
    )
    return Coalesce(Subquery(rows), Value(ZERO), output_field=MONEY)


def _issued_booking_ids(tid: int) -> Any:
    return InvoiceLine.objects.filter(
        trainer_id=tid,
        booking_id__isnull=False,
        invoice__state=Invoice.State.ISSUED,
        invoice__kind=Invoice.Kind.INVOICE,
    ).values("booking_id")


def _delivered(tid: int, currency: str, start: datetime, end: datetime) -> QuerySet[Booking]:
    """Sessions delivered in the period that no package credit paid for."""
    return Booking.objects.filter(
        trainer_id=tid, currency=currency, status=DELIVERED, start__gte=start, start__lt=end
    ).exclude(pk__in=_ledger_booking_ids(tid, ("consume", "forfeit")))


def outstanding(*, trainer: TrainerRef, currency: str, now: datetime) -> Decimal:
    """What clients owe now in `currency` (see outstanding_by_currency)."""
    return outstanding_by_currency(trainer=trainer, now=now, currency=currency).get(currency, ZERO)


def outstanding_by_currency(
    *, trainer: TrainerRef, now: datetime, currency: str | None = None
) -> dict[str, Decimal]:
    """What clients owe now, per currency: sessions that took place and are not settled
    (neither paid, nor on an issued invoice, nor paid by a credit), and issued invoices' open
    amounts. The same definition as selectors.balances, in one query whatever the data's size:
    the owed sessions' prices, minus what was paid on each (at most its price), plus the
    invoices' open amounts."""
    tid = trainer_id_of(trainer)
    owed = Booking.objects.filter(
        trainer_id=tid,
        status__in=(Booking.Status.COMPLETED, Booking.Status.CONFIRMED),
        start__lte=now,
    )
    paid = Payment.objects.filter(
        trainer_id=tid,
        booking__status__in=(Booking.Status.COMPLETED, Booking.Status.CONFIRMED),
        booking__start__lte=now,
    )
    invoices = Invoice.objects.filter(trainer_id=tid, state="issued", kind=Invoice.Kind.INVOICE)
    if currency is not None:
        owed = owed.filter(currency=currency)
        paid = paid.filter(booking__currency=currency)
        invoices = invoices.filter(currency=currency)
    owed = owed.exclude(pk__in=_issued_booking_ids(tid)).exclude(
        pk__in=_ledger_booking_ids(tid, ("reserve", "release"), net_below=0)
    )
    paid = paid.exclude(booking_id__in=_issued_booking_ids(tid)).exclude(
        booking_id__in=_ledger_booking_ids(tid, ("reserve", "release"), net_below=0)
    )
    prices = owed.order_by().values("currency").annotate(s=Sum("price")).values("currency", "s")
    # What was paid on each owed booking counts up to its price (never below 0): the database
    # caps each booking's payment sum and adds them up per currency.
    per_booking = (
        paid.order_by()
        .values("booking_id")
        .annotate(code=F("booking__currency"), unit=F("booking__price"), got=Sum("amount"))
        .values("code", "unit", "got")
    )
    open_invoices = (
        invoices.annotate(paid=_paid_for("invoice_id"))
        .filter(total__gt=F("paid"))
        .order_by()
        .values("currency")
        .annotate(s=Sum(F("total") - F("paid"), output_field=MONEY))
        .values("currency", "s")
    )
    # The three aggregates in one statement (one round trip): the ORM's SQL of each, their
    # values as parameters, added up per currency.
    sql_prices, p_prices = prices.query.sql_with_params()
    sql_paid, p_paid = per_booking.query.sql_with_params()
    sql_invoices, p_invoices = open_invoices.query.sql_with_params()
    cap = "CASE WHEN t.got < 0 THEN 0 WHEN t.got > t.unit THEN t.unit ELSE t.got END"
    settled = f"SELECT t.code AS currency, -SUM({cap}) AS s FROM ({sql_paid}) t GROUP BY t.code"  # noqa: S608
    union = f"{sql_prices} UNION ALL {settled} UNION ALL {sql_invoices}"
    query = f"SELECT u.currency, SUM(u.s) FROM ({union}) u GROUP BY u.currency"  # noqa: S608
    totals: dict[str, Decimal] = {}
    with connection.cursor() as cursor:
        cursor.execute(query, [*p_prices, *p_paid, *p_invoices])
        for code, total in cursor.fetchall():
            # SQLite answers a float for a sum of decimals: through str, to the cent below.
            totals[code] = Decimal(str(total or 0))
    return {code: cents(total) for code, total in sorted(totals.items())}


def _bucket(group: str, tz: Any, name: str) -> Any:
    trunc = TruncWeek if group == "week" else TruncMonth
    return trunc(name, tzinfo=tz)


def _bucket_key(group: str, value: datetime | date) -> tuple[str, str]:
    day = value.date() if isinstance(value, datetime) else value
    if group == "week":
        iso = day.isocalendar()
        return f"{iso.year}-W{iso.week:02d}", f"Week of {day:%d %b %Y}"
    return f"{day:%Y-%m}", f"{day:%B %Y}"


def _empty_buckets(group: str, first: date, last: date) -> dict[str, RevenueRow]:
    rows: dict[str, RevenueRow] = {}
    if group == "month":
        day = first.replace(day=1)
        while day <= last:
            key, label = _bucket_key("month", day)
            rows[key] = RevenueRow(key, label)
            day = (day + timedelta(days=32)).replace(day=1)
    elif group == "week":
        day = first - timedelta(days=first.weekday())
        while day <= last:
            key, label = _bucket_key("week", day)
            rows[key] = RevenueRow(key, label)
            day += timedelta(days=7)
    return rows


def revenue(
    *,
    trainer: Any,
    first_day: date,
    last_day: date,
    group: str = "month",
    currency: str | None = None,
    now: datetime,
    top: int = 5,
    with_outstanding: bool = True,
) -> Revenue:
    """The trainer's revenue over local days [first_day, last_day]."""
    tid = trainer_id_of(trainer)
    tz_name = trainer.timezone
    tz = zone(tz_name)
    code = currency or trainer.currency
    start, end = local_day_bounds(tz_name, first_day, last_day)
    payments = Payment.objects.filter(
        trainer_id=tid, currency=code, paid_at__gte=start, paid_at__lt=end
    )
    delivered = _delivered(tid, code, start, end)
    uses = [
        u
        for u in packages_bridge.credit_uses(trainer=tid, start=start, end=end)
        if u.currency == code
    ]
    rows = _empty_buckets(group, first_day, last_day)

    def row(key: str, label: str) -> RevenueRow:
        if key not in rows:
            rows[key] = RevenueRow(key, label)
        return rows[key]

    cash = ZERO
    earned = ZERO
    if group == "service":
        from trainerhub.scheduling.models import Service

        names = dict(Service.objects.filter(trainer_id=tid).values_list("pk", "name"))
        for service_id, total in (
            payments.order_by()
            .values("booking__service_id")
            .annotate(s=Sum("amount"))
            .values_list("booking__service_id", "s")
        ):
            key = str(service_id) if service_id else "other"
            label = names.get(service_id, "") if service_id else "Packages and invoices"
            row(key, label).cash += Decimal(total)
            cash += Decimal(total)
        for service_id, total in (
            delivered.order_by()
            .values("service_id")
            .annotate(s=Sum("price"))
            .values_list("service_id", "s")
        ):
            row(str(service_id), names.get(service_id, "")).earned += Decimal(total)
            earned += Decimal(total)
        for use in uses:
            key = str(use.service_id) if use.service_id else "other"
            label = names.get(use.service_id, "") if use.service_id else "Packages and invoices"
            row(key, label).earned += use.value
            earned += use.value
        ordered = sorted(rows.values(), key=lambda r: (-(r.earned + r.cash), r.label))
    else:
        for bucket, total in (
            payments.order_by()
            .annotate(b=_bucket(group, tz, "paid_at"))
            .values("b")
            .annotate(s=Sum("amount"))
            .values_list("b", "s")
        ):
            row(*_bucket_key(group, bucket.astimezone(tz))).cash += Decimal(total)
            cash += Decimal(total)
        for bucket, total in (
            delivered.order_by()
            .annotate(b=_bucket(group, tz, "start"))
            .values("b")
            .annotate(s=Sum("price"))
            .values_list("b", "s")
        ):
            row(*_bucket_key(group, bucket.astimezone(tz))).earned += Decimal(total)
            earned += Decimal(total)
        for use in uses:
            when = (use.booking_start or use.at).astimezone(tz)
            day = when.date().replace(day=1) if group == "month" else when.date()
            if group == "week":
                day = day - timedelta(days=day.weekday())
            row(*_bucket_key(group, day)).earned += use.value
            earned += use.value
        ordered = sorted(rows.values(), key=lambda r: r.key)
    top_clients = [
        TopClient(client_id=cid, name=f"{first} {last}".strip(), cash=cents(Decimal(total)))
        for cid, first, last, total in (
            payments.order_by()
            .values("client_id", "client__first_name", "client__last_name")
            .annotate(s=Sum("amount"))
            .filter(s__gt=0)
            .order_by("-s", "client_id")
            .values_list("client_id", "client__first_name", "client__last_name", "s")[:top]
        )
    ]
    for r in ordered:
        r.cash, r.earned = cents(r.cash), cents(r.earned)
    return Revenue(
        first_day=first_day,
        last_day=last_day,
        currency=code,
        cash=cents(cash),
        earned=cents(earned),
        outstanding=outstanding(trainer=tid, currency=code, now=now) if with_outstanding else ZERO,
        group=group,
        rows=ordered,
        top_clients=top_clients,
    )


def ledger_cash(*, trainer: TrainerRef, currency: str, start: datetime, end: datetime) -> Decimal:
    """Payments minus refunds of the period, summed row by row (the reconciliation check)."""
    rows = Payment.objects.filter(
        trainer_id=trainer_id_of(trainer), currency=currency, paid_at__gte=start, paid_at__lt=end
    )
    received = sum((p.amount for p in rows if p.amount > 0), ZERO)
    refunded = sum((-p.amount for p in rows if p.amount < 0), ZERO)
    return received - refunded
