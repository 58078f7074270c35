"""Reads of packages and credits: lists with their balance and status in one query, what a
booking may be paid with, and the figures billing and insights read (covered bookings,
credits sold / used / forfeited, the value of a spent credit)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import (
    Case,
    CharField,
    Count,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from trainerhub.core.access import get_owned_or_404
from trainerhub.core.tenancy import RowRef, TrainerRef, id_of, trainer_id_of
from trainerhub.core.timezones import zone
from trainerhub.packages.models import ClientPackage, LedgerEntry, Package
from trainerhub.scheduling.package_choices import PackageChoice

Kind = LedgerEntry.Kind
Status = ClientPackage.Status
CENT = Decimal("0.01")


# --- The catalogue -------------------------------------------------------------------------


def packages_for_trainer(*, trainer: TrainerRef, active_only: bool = False) -> QuerySet[Package]:
    qs = (
        Package.objects.filter(trainer_id=trainer_id_of(trainer))
        .prefetch_related("services")
        .annotate(sold_count=Count("sold", distinct=True))
        .order_by("-is_active", "name", "id")
    )
    return qs.filter(is_active=True) if active_only else qs


def package_get_for_trainer(*, trainer: TrainerRef, pk: Any) -> Package:
    return get_owned_or_404(Package.objects.prefetch_related("services"), trainer=trainer, pk=pk)


# --- Client packages -----------------------------------------------------------------------


def _balance_subquery() -> Subquery:
    sums = (
        LedgerEntry.objects.filter(client_package=OuterRef("pk"))
        .order_by()
        .values("client_package")
        .annotate(total=Sum("sessions"))
        .values("total")
    )
    return Subquery(sums, output_field=IntegerField())


def with_balance(qs: QuerySet[ClientPackage], *, today: date) -> Any:
    """Annotate `sessions_remaining` (the sum of the ledger) and the derived `state`."""
    annotated: Any = qs.annotate(
        sessions_remaining=Coalesce(_balance_subquery(), Value(0)),
    ).annotate(
        state=Case(
            When(refunded_at__isnull=False, then=Value(Status.REFUNDED)),
            When(expires_on__lt=today, then=Value(Status.EXPIRED)),
            When(sessions_remaining__lte=0, then=Value(Status.USED_UP)),
            default=Value(Status.ACTIVE),
            output_field=CharField(),
        )
    )
    return annotated


def trainer_today(trainer: TrainerRef) -> date:
    from trainerhub.accounts.models import User

    tz_name = (
        trainer.timezone
        if isinstance(trainer, User)
        else User.objects.values_list("timezone", flat=True).get(pk=trainer_id_of(trainer))
    )
    return timezone.now().astimezone(zone(tz_name)).date()


def client_packages_for_trainer(
    *,
    trainer: TrainerRef,
    client: RowRef | None = None,
    status: str | None = None,
    today: date | None = None,
) -> Any:
    qs: Any = (
        ClientPackage.objects.filter(trainer_id=trainer_id_of(trainer))
        .select_related("client", "package")
        .prefetch_related("services")
    )
    if client is not None:
        qs = qs.filter(client_id=id_of(client))
    qs = with_balance(qs, today=today or trainer_today(trainer))
    if status:
        qs = qs.filter(state=status)
    return qs.order_by("-purchased_at", "-id")


def client_package_get_for_trainer(*, trainer: TrainerRef, pk: Any) -> ClientPackage:
    row: ClientPackage = get_owned_or_404(
        with_balance(
            ClientPackage.objects.select_related("client", "package").prefetch_related("services"),
            today=trainer_today(trainer),
        ),
        trainer=trainer,
        pk=pk,
    )
    return row


def ledger_of(client_package: ClientPackage) -> QuerySet[LedgerEntry]:
    return LedgerEntry.objects.filter(
        trainer_id=client_package.trainer_id, client_package=client_package
    ).order_by("created_at", "id")


def ledger_with_bookings(client_package: ClientPackage) -> list[LedgerEntry]:
    return list(ledger_of(client_package).select_related("booking", "booking__service"))


def ledger_for_client(*, trainer: TrainerRef, client: RowRef) -> dict[int, list[LedgerEntry]]:
    """Every entry of the client's packages, by client package id (one query)."""
    out: dict[int, list[LedgerEntry]] = {}
    rows = LedgerEntry.objects.filter(
        trainer_id=trainer_id_of(trainer), client_package__client_id=id_of(client)
    ).select_related("booking", "booking__service")
    for entry in rows.order_by("created_at", "id"):
        out.setdefault(entry.client_package_id, []).append(entry)
    return out


def replay(entries: Iterable[LedgerEntry]) -> int:
    """The balance a ledger gives when read from the first entry to the last."""
    balance = 0
    for entry in entries:
        balance += entry.sessions
    return balance


# --- What a booking may be paid with -------------------------------------------------------


def usable_packages(*, client: Any, service: Any, on: date | None = None) -> list[ClientPackage]:
    """The client's packages that can pay for a session of the service: not refunded, not
    past their last day, covering the service, with a credit left (soonest to expire first)."""
    today = on or trainer_today(client.trainer_id)
    rows: Any = (
        with_balance(
            ClientPackage.objects.filter(trainer_id=client.trainer_id, client_id=client.pk),
            today=today,
        )
        .filter(state=Status.ACTIVE)
        .filter(Q(services__isnull=True) | Q(services=service.pk))
        .distinct()
    )
    return sorted(rows, key=lambda cp: (cp.expires_on or date.max, cp.purchased_at, cp.pk))


def packages_for_booking(client: Any, service: Any) -> list[PackageChoice]:
    """The choices the booking forms and the public page offer (scheduling.package_choices)."""
    choices = []
    for cp in usable_packages(client=client, service=service):
        left: int = getattr(cp, "sessions_remaining", 0)
        until = f", until {cp.expires_on:%d %b %Y}" if cp.expires_on else ""
        label = f"{cp.name} — {left} of {cp.sessions_total} left{until}"
        choices.append(PackageChoice(cp.pk, label, left))
    return choices


def _reserve_minus_release() -> Q:
    return Q(kind__in=(Kind.RESERVE, Kind.RELEASE))


def covered_booking_ids(trainer_id: int, booking_ids: Iterable[int]) -> set[int]:
    """The bookings paid by a package credit: a reservation not given back (one query).
    Billing shows their payment status as "covered"."""
    ids = list(booking_ids)
    if not ids:
        return set()
    rows = (
        LedgerEntry.objects.filter(trainer_id=trainer_id, booking_id__in=ids)
        .filter(_reserve_minus_release())
        .values("booking_id")
        .annotate(net=Sum("sessions"))
        .filter(net__lt=0)
        .values_list("booking_id", flat=True)
    )
    return set(rows)


def package_of_bookings(trainer_id: int, booking_ids: Iterable[int]) -> dict[int, int]:
    """{booking id: client package id} for bookings that took a credit (one query)."""
    ids = list(booking_ids)
    if not ids:
        return {}
    rows = LedgerEntry.objects.filter(
        trainer_id=trainer_id, booking_id__in=ids, kind=Kind.RESERVE
    ).values_list("booking_id", "client_package_id")
    return dict(rows)


# --- Figures (billing's revenue, insights) -------------------------------------------------


def credit_value(price: Decimal, sessions_total: int) -> Decimal:
    """One credit's share of the package price, to the cent."""
    if sessions_total <= 0:
        return Decimal("0.00")
    return (price / sessions_total).quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class CreditUse:
    """A credit spent in the period: the session took place, or was forfeited."""

    at: datetime  # when the ledger recorded it
    kind: str  # "consume" | "forfeit"
    booking_id: int | None
    booking_start: datetime | None
    service_id: int | None
    client_id: int
    client_package_id: int
    value: Decimal
    currency: str


def credit_uses(*, trainer: TrainerRef, start: datetime, end: datetime) -> list[CreditUse]:
    """Credits spent in [start, end), each valued at its share of its package's price (one
    query). Billing's "earned" revenue adds these to the sessions paid per booking."""
    rows = (
        LedgerEntry.objects.filter(
            trainer_id=trainer_id_of(trainer),
            kind__in=(Kind.CONSUME, Kind.FORFEIT),
            created_at__gte=start,
            created_at__lt=end,
        )
        .select_related("client_package", "booking")
        .order_by("created_at", "id")
    )
    return [
        CreditUse(
            at=e.created_at,
            kind=e.kind,
            booking_id=e.booking_id,
            booking_start=e.booking.start if e.booking else None,
            service_id=e.booking.service_id if e.booking else None,
            client_id=e.client_package.client_id,
            client_package_id=e.client_package_id,
            value=credit_value(e.client_package.price, e.client_package.sessions_total),
            currency=e.client_package.currency,
        )
        for e in rows
    ]


@dataclass(frozen=True)
class CreditFigures:
    sold: int  # credits granted by packages sold in the period
    sold_value: dict[str, Decimal]  # the price of the packages sold, per currency
    used: int  # sessions that took place on a credit
    forfeited: int  # late cancellations and no-shows that spent a credit
    expired: int  # credits that expired unused
    earned: dict[str, Decimal]  # used + forfeited credits at their share of the price


def credit_figures(*, trainer: TrainerRef, start: datetime, end: datetime) -> CreditFigures:
    tid = trainer_id_of(trainer)
    sold = ClientPackage.objects.filter(
        trainer_id=tid, purchased_at__gte=start, purchased_at__lt=end
    )
    sold_value: dict[str, Decimal] = {}
    sold_count = 0
    for currency, total, sessions in (
        sold.values("currency")
        .annotate(total=Sum("price"), sessions=Sum("sessions_total"))
        .values_list("currency", "total", "sessions")
    ):
        sold_value[currency] = Decimal(total).quantize(CENT)
        sold_count += int(sessions)
    counts = dict(
        LedgerEntry.objects.filter(
            trainer_id=tid,
            kind__in=(Kind.CONSUME, Kind.FORFEIT, Kind.EXPIRE),
            created_at__gte=start,
            created_at__lt=end,
        )
        .values("kind")
        .annotate(n=Count("id"), s=Sum("sessions"))
        .values_list("kind", "n")
    )
    expired = -int(
        LedgerEntry.objects.filter(
            trainer_id=tid, kind=Kind.EXPIRE, created_at__gte=start, created_at__lt=end
        ).aggregate(s=Sum("sessions"))["s"]
        or 0
    )
    earned: dict[str, Decimal] = {}
    for use in credit_uses(trainer=tid, start=start, end=end):
        earned[use.currency] = earned.get(use.currency, Decimal("0.00")) + use.value
    return CreditFigures(
        sold=sold_count,
        sold_value=sold_value,
        used=int(counts.get(Kind.CONSUME, 0)),
        forfeited=int(counts.get(Kind.FORFEIT, 0)),
        expired=expired,
        earned=earned,
    )


# --- The worker ----------------------------------------------------------------------------


def expiry_candidates(*, before: date) -> list[tuple[int, int]]:
    """(trainer id, client package id) of packages whose last day is before `before` and that
    still hold free credits, for the expiry pass."""
    rows = (
        ClientPackage.objects.filter(expires_on__lt=before, refunded_at__isnull=True)
        .annotate(left=Coalesce(_balance_subquery(), Value(0)))
        .filter(left__gt=0)
        .order_by("expires_on", "id")
        .values_list("trainer_id", "pk")
    )
    return list(rows)


# --- What the pages offer ------------------------------------------------------------------


def service_choices(*, trainer: TrainerRef) -> list[tuple[int, str]]:
    from trainerhub.scheduling.selectors import services_for_trainer

    return [(s.pk, s.name) for s in services_for_trainer(trainer=trainer, active_only=True)]


def sellable_choices(*, trainer: TrainerRef) -> list[tuple[int, str]]:
    rows = Package.objects.filter(trainer_id=trainer_id_of(trainer), is_active=True)
    return [
        (p.pk, f"{p.name} — {p.sessions_count} sessions, {p.price} {p.currency}")
        for p in rows.order_by("name", "id")
    ]


def client_choices(*, trainer: TrainerRef) -> list[tuple[int, str]]:
    from trainerhub.clients.selectors import clients_for_trainer

    rows = clients_for_trainer(trainer=trainer, bookable_only=True)
    return [(c.pk, c.full_name) for c in rows.order_by("first_name", "last_name", "id")]


@dataclass(frozen=True)
class ClientPackageView:
    """A client package with its ledger, for the client page (two queries in all)."""

    row: Any
    entries: list[LedgerEntry]


def client_packages_with_ledger(*, trainer: TrainerRef, client: RowRef) -> list[ClientPackageView]:
    rows = list(client_packages_for_trainer(trainer=trainer, client=client))
    ledgers = ledger_for_client(trainer=trainer, client=client)
    return [ClientPackageView(row, ledgers.get(row.pk, [])) for row in rows]


def packages_for_account(*, user: Any, trainer: TrainerRef, service: Any) -> list[PackageChoice]:
    """What a signed-in client may pay with on the trainer's public page: the packages of
    their own client record with this trainer (none for a visitor)."""
    from trainerhub.clients.models import Client

    if user is None or not getattr(user, "is_authenticated", False):
        return []
    client = Client.objects.filter(
        trainer_id=trainer_id_of(trainer), account_id=user.pk, erased_at__isnull=True
    ).first()
    return packages_for_booking(client, service) if client is not None else []


def packages_of_account(*, user: Any) -> list[Any]:
    """A client account's packages with every trainer, with balance and status (one query);
    refunded ones are left out, the others newest first."""
    if user is None or not getattr(user, "is_authenticated", False):
        return []
    rows = with_balance(
        ClientPackage.objects.filter(
            client__account_id=user.pk, client__erased_at__isnull=True
        ).select_related("trainer"),
        today=timezone.now().date(),
    )
    return list(rows.exclude(state=Status.REFUNDED).order_by("-purchased_at", "-id"))
