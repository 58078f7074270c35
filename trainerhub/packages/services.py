"""The rules of packages and credits: the catalogue, selling, the ledger's moves, expiry.

Every change of credits goes through `_append` while the client package's row is locked
(`_lock`), so "read the balance, then write an entry" is one step per package: two bookings
racing for the last credit cannot both pass. The booking handlers run inside the booking's
transaction (core/events.py): a refusal here rolls the booking back.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.db import connection, transaction
from django.db.models import Sum
from django.utils import timezone

from trainerhub.accounts.models import User
from trainerhub.clients.models import Client
from trainerhub.clients.selectors import client_is_bookable
from trainerhub.core.currencies import CURRENCY_CODES
from trainerhub.core.errors import Conflict, InvalidInput
from trainerhub.core.events import emit
from trainerhub.core.tenancy import TrainerRef, trainer_id_of
from trainerhub.core.timezones import zone
from trainerhub.packages.models import (
    MAX_SESSIONS,
    MAX_VALID_DAYS,
    ClientPackage,
    LedgerEntry,
    Package,
    PackageSettings,
)
from trainerhub.scheduling.models import Booking, Service

Kind = LedgerEntry.Kind

NO_CREDITS = "no_credits"
PACKAGE_EXPIRED = "package_expired"
PACKAGE_NOT_VALID = "package_not_valid"
PACKAGE_REFUSALS = frozenset({NO_CREDITS, PACKAGE_EXPIRED, PACKAGE_NOT_VALID})
PAYMENT_METHODS = ("cash", "bank_transfer", "card_terminal", "online", "other")
PACKAGE_FIELDS = (
    "name",
    "description",
    "sessions_count",
    "price",
    "currency",
    "valid_days",
    "services",
    "is_active",
)


# --- The catalogue -------------------------------------------------------------------------


def _clean_package(trainer_id: int, data: dict[str, Any]) -> dict[str, Any]:
    errors: dict[str, list[str]] = {}
    unknown = set(data) - set(PACKAGE_FIELDS)
    for name in sorted(unknown):
        errors[name] = ["This field cannot be set."]
    if "name" in data:
        data["name"] = str(data["name"] or "").strip()
        if not data["name"]:
            errors["name"] = ["Give the package a name."]
        elif len(data["name"]) > 120:
            errors["name"] = ["Ensure this field has no more than 120 characters."]
    if "description" in data and len(data["description"] or "") > 2000:
        errors["description"] = ["Ensure this field has no more than 2000 characters."]
    if "sessions_count" in data:
        count = data["sessions_count"]
        if isinstance(count, bool) or not isinstance(count, int) or not 1 <= count <= MAX_SESSIONS:
            errors["sessions_count"] = [f"Between 1 and {MAX_SESSIONS} sessions."]
    if "price" in data:
        price = data["price"]
        if not isinstance(price, Decimal) or not price.is_finite() or price < 0:
            errors["price"] = ["Give a price of 0 or more."]
        elif price >= Decimal("100000000") or price != price.quantize(Decimal("0.01")):
            errors["price"] = ["Give a price below 100,000,000 with at most two decimals."]
    if "currency" in data and data["currency"] not in CURRENCY_CODES:
        errors["currency"] = ["Choose a currency (ISO 4217 code such as EUR or USD)."]
    if "valid_days" in data and data["valid_days"] is not None:
        days = data["valid_days"]
        if isinstance(days, bool) or not isinstance(days, int) or not 1 <= days <= MAX_VALID_DAYS:
            errors["valid_days"] = [
                f"Between 1 and {MAX_VALID_DAYS} days, or empty for credits that never expire."
            ]
    if "services" in data:
        ids = [s.pk if isinstance(s, Service) else s for s in data["services"] or []]
        found = set(
            Service.objects.filter(trainer_id=trainer_id, pk__in=ids).values_list("pk", flat=True)
        )
        if len(found) != len(set(ids)):
            errors["services"] = ["Unknown service."]
        data["services"] = sorted(found)
    if errors:
        raise InvalidInput(errors)
    return data


@transaction.atomic
def package_create(*, trainer: User, **data: Any) -> Package:
    data = _clean_package(trainer.pk, dict(data))
    for required in ("name", "sessions_count", "price"):
        if required not in data:
            raise InvalidInput({required: ["This field is required."]})
    services = data.pop("services", [])
    data.setdefault("currency", trainer.currency)
    package = Package.objects.create(trainer=trainer, **data)
    package.services.set(services)
    return package


@transaction.atomic
def package_update(*, package: Package, **data: Any) -> Package:
    data = _clean_package(package.trainer_id, dict(data))
    services = data.pop("services", None)
    for name, value in data.items():
        setattr(package, name, value)
    package.save()
    if services is not None:
        package.services.set(services)
    return package


def package_deactivate(*, package: Package) -> Package:
    """Packages already sold keep their credits; the package is just no longer on sale."""
    if package.is_active:
        package.is_active = False
        package.save(update_fields=["is_active", "updated_at"])
    return package


# --- Settings ------------------------------------------------------------------------------


def package_settings_for(trainer: TrainerRef) -> PackageSettings:
    tid = trainer_id_of(trainer)
    row = PackageSettings.objects.filter(trainer_id=tid).first()
    if row is None:
        row, _ = PackageSettings.objects.get_or_create(trainer_id=tid)
    return row


def package_settings_update(
    *, trainer: User, late_cancel_forfeits: bool, no_show_forfeits: bool
) -> PackageSettings:
    row = package_settings_for(trainer)
    row.late_cancel_forfeits = bool(late_cancel_forfeits)
    row.no_show_forfeits = bool(no_show_forfeits)
    row.save()
    return row


# --- The ledger ----------------------------------------------------------------------------


def today_for(trainer: User) -> date:
    return timezone.now().astimezone(zone(trainer.timezone)).date()


def balance_of(client_package: ClientPackage | int) -> int:
    pk = client_package if isinstance(client_package, int) else client_package.pk
    total = LedgerEntry.objects.filter(client_package_id=pk).aggregate(s=Sum("sessions"))["s"]
    return int(total or 0)


def _lock(trainer_id: int, pk: int) -> ClientPackage | None:
    """The client package's row, locked until the transaction ends (PostgreSQL; SQLite's
    IMMEDIATE transactions already hold the write lock)."""
    return (
        ClientPackage.objects.select_for_update(of=("self",))
        .select_related("trainer", "client")
        .filter(trainer_id=trainer_id, pk=pk)
        .first()
    )


def _append(
    cp: ClientPackage, kind: str, sessions: int, *, booking: Booking | None = None, reason: str = ""
) -> LedgerEntry:
    return LedgerEntry.objects.create(
        trainer_id=cp.trainer_id,
        client_package=cp,
        kind=kind,
        sessions=sessions,
        booking=booking,
        reason=reason,
    )


def is_expired(cp: ClientPackage, on: date) -> bool:
    return cp.expires_on is not None and on > cp.expires_on


def _local_day(when: datetime, trainer: User) -> date:
    return when.astimezone(zone(trainer.timezone)).date()


@dataclass(frozen=True)
class Sold:
    client_package: ClientPackage
    payment: dict[str, Any] | None


def _clean_payment(payment: Any, price: Decimal) -> dict[str, Any] | None:
    if payment is None:
        return None
    if not isinstance(payment, dict):
        raise InvalidInput({"payment": ["Give the payment as {amount, method, paid_at}."]})
    errors: dict[str, list[str]] = {}
    amount = payment.get("amount")
    if not isinstance(amount, Decimal) or not amount.is_finite() or amount <= 0:
        errors["payment.amount"] = ["Give an amount above 0."]
    elif amount >= Decimal("100000000") or amount != amount.quantize(Decimal("0.01")):
        errors["payment.amount"] = ["Give an amount below 100,000,000 with at most two decimals."]
    if payment.get("method") not in PAYMENT_METHODS:
        errors["payment.method"] = [f"Choose one of {', '.join(PAYMENT_METHODS)}."]
    paid_at = payment.get("paid_at") or timezone.now()
    if not isinstance(paid_at, datetime) or paid_at.tzinfo is None:
        errors["payment.paid_at"] = ["Give the time as ISO 8601 with a UTC offset."]
    if errors:
        raise InvalidInput(errors)
    return {"amount": amount, "method": payment["method"], "paid_at": paid_at}


@transaction.atomic
def package_sell(
    *,
    trainer: User,
    package: Package,
    client: Client,
    payment: dict[str, Any] | None = None,
    purchased_at: datetime | None = None,
) -> ClientPackage:
    """Sell a package to a client: the snapshot, a `grant` of its sessions, and the
    `client_package.sold` event (billing records the payment in this transaction)."""
    if package.trainer_id != trainer.pk:
        raise InvalidInput({"package": ["Unknown package."]})
    if client.trainer_id != trainer.pk:
        raise InvalidInput({"client": ["Unknown client."]})
    if not client_is_bookable(client):
        raise InvalidInput({"client": ["This client is archived; restore them to sell."]})
    if not package.is_active:
        raise InvalidInput({"package": ["This package is no longer on sale."]})
    clean_payment = _clean_payment(payment, package.price)
    when = purchased_at or timezone.now()
    expires_on = None
    if package.valid_days:
        expires_on = _local_day(when, trainer) + timedelta(days=package.valid_days)
    cp = ClientPackage.objects.create(
        trainer=trainer,
        client=client,
        package=package,
        name=package.name,
        sessions_total=package.sessions_count,
        price=package.price,
        currency=package.currency,
        purchased_at=when,
        expires_on=expires_on,
    )
    cp.services.set(list(package.services.values_list("pk", flat=True)))
    _append(cp, Kind.GRANT, package.sessions_count, reason=f"Bought {package.name}")
    emit("client_package.sold", client_package=cp, payment=clean_payment)
    return cp


@transaction.atomic
def client_package_adjust(
    *, client_package: ClientPackage, sessions: Any, reason: Any
) -> LedgerEntry:
    """The trainer's correction: any non-zero number of sessions, with a reason."""
    errors: dict[str, list[str]] = {}
    if isinstance(sessions, bool) or not isinstance(sessions, int) or sessions == 0:
        errors["sessions"] = ["Give a whole number of sessions other than 0 (e.g. 2 or -1)."]
    elif abs(sessions) > MAX_SESSIONS:
        errors["sessions"] = [f"At most {MAX_SESSIONS} sessions at a time."]
    reason = str(reason or "").strip()
    if not reason:
        errors["reason"] = ["Say why you adjust the credits."]
    elif len(reason) > 500:
        errors["reason"] = ["Ensure this field has no more than 500 characters."]
    if errors:
        raise InvalidInput(errors)
    cp = _lock(client_package.trainer_id, client_package.pk)
    assert cp is not None
    if cp.refunded_at is not None:
        raise Conflict(
            "This package was refunded; its credits cannot change.", code=PACKAGE_NOT_VALID
        )
    balance = balance_of(cp)
    if balance + sessions < 0:
        raise InvalidInput(
            {"sessions": [f"Only {balance} credit(s) left: the balance cannot go below 0."]}
        )
    return _append(cp, Kind.ADJUST, sessions, reason=reason)


@transaction.atomic
def client_package_refund(*, client_package: ClientPackage, reason: str = "") -> ClientPackage:
    """Refund the package: its free credits are taken away (credits held by booked sessions
    stay with them) and it can no longer pay for a booking."""
    cp = _lock(client_package.trainer_id, client_package.pk)
    assert cp is not None
    if cp.refunded_at is None:
        left = balance_of(cp)
        if left > 0:
            _append(cp, Kind.ADJUST, -left, reason=(reason or "Refunded")[:500])
        cp.refunded_at = timezone.now()
        cp.save(update_fields=["refunded_at"])
    client_package.refresh_from_db()
    return cp


# --- Bookings paid with a credit -----------------------------------------------------------


def _usable(cp: ClientPackage | None, booking: Booking) -> ClientPackage:
    """The package may pay for this booking, or the refusal that says why. `cp` comes from
    `_lock_for_booking`: its balance and coverage were read with the lock, in one query."""
    if cp is None:
        raise InvalidInput({"client_package": ["Unknown package."]})
    if cp.client_id != booking.client_id:
        raise Conflict("This package belongs to another client.", code=PACKAGE_NOT_VALID)
    if cp.refunded_at is not None:
        raise Conflict("This package was refunded.", code=PACKAGE_NOT_VALID)
    if is_expired(cp, _local_day(booking.start, booking.trainer)):
        raise Conflict(
            f"This package expired on {cp.expires_on:%d %b %Y} (before this session).",
            code=PACKAGE_EXPIRED,
        )
    if getattr(cp, "restricted", False) and not getattr(cp, "covers", False):
        raise Conflict("This package does not cover this service.", code=PACKAGE_NOT_VALID)
    if getattr(cp, "left", 0) < 1:
        raise Conflict("No credits left on this package.", code=NO_CREDITS)
    return cp


_LOCK_FOR_BOOKING = """
SELECT cp.id, cp.client_id, cp.expires_on, cp.refunded_at,
       COALESCE((SELECT SUM(le.sessions) FROM {ledger} le WHERE le.client_package_id = cp.id), 0),
       EXISTS (SELECT 1 FROM {through} t WHERE t.clientpackage_id = cp.id),
       EXISTS (SELECT 1 FROM {through} t WHERE t.clientpackage_id = cp.id AND t.service_id = %s)
FROM {packages} cp
WHERE cp.trainer_id = %s AND cp.id = %s
"""


def _lock_for_booking(booking: Booking, pk: int) -> ClientPackage | None:
    """Lock the package's row and read, in the same query, its balance and whether it covers
    the booking's service: booking with a credit costs two queries (this and the insert).

    Plain SQL on purpose: building this query through the ORM (a Subquery and two Exists)
    cost about 5 ms of Python per booking, more than both round trips (issue 12's < 2 ms)."""
    sql = _LOCK_FOR_BOOKING.format(
        ledger=LedgerEntry._meta.db_table,
        through=ClientPackage.services.through._meta.db_table,
        packages=ClientPackage._meta.db_table,
    )
    if connection.vendor == "postgresql":
        sql += " FOR UPDATE OF cp"  # SQLite's IMMEDIATE transaction already holds the lock
    with connection.cursor() as cursor:
        cursor.execute(sql, [booking.service_id, booking.trainer_id, pk])
        row = cursor.fetchone()
    if row is None:
        return None
    pk, client_id, expires_on, refunded_at, left, restricted, covers = row
    if isinstance(expires_on, str):  # SQLite answers dates as text to a plain cursor
        expires_on = date.fromisoformat(expires_on)
    cp = ClientPackage(
        id=pk,
        trainer_id=booking.trainer_id,
        client_id=client_id,
        expires_on=expires_on,
        refunded_at=refunded_at,
    )
    cp.left, cp.restricted, cp.covers = int(left), bool(restricted), bool(covers)  # type: ignore[attr-defined]
    return cp


def reserve_for_booking(*, booking: Booking, client_package_id: int) -> LedgerEntry:
    cp = _usable(_lock_for_booking(booking, client_package_id), booking)
    return _append(cp, Kind.RESERVE, -1, booking=booking)


def reservation_of(booking: Booking) -> LedgerEntry | None:
    """The booking's reservation, if it took a credit (and still holds or spent it)."""
    return (
        LedgerEntry.objects.filter(
            trainer_id=booking.trainer_id, booking=booking, kind=Kind.RESERVE
        )
        .order_by("id")
        .first()
    )


def _settle(booking: Booking, outcome: str, reason: str = "") -> LedgerEntry | None:
    """Close the booking's reservation: release (+1), consume or forfeit (0). Idempotent:
    a reservation is closed once."""
    reservation = reservation_of(booking)
    if reservation is None:
        return None
    cp = _lock(booking.trainer_id, reservation.client_package_id)
    assert cp is not None
    closed = LedgerEntry.objects.filter(
        client_package=cp,
        booking=booking,
        kind__in=(Kind.RELEASE, Kind.CONSUME, Kind.FORFEIT),
    ).exists()
    if closed:
        return None
    sessions = 1 if outcome == Kind.RELEASE else 0
    return _append(cp, outcome, sessions, booking=booking, reason=reason)


def on_booking_created(*, booking: Booking, purchase: Any = None, **_: Any) -> None:
    pk = getattr(purchase, "client_package", None)
    if pk is None:
        return
    if isinstance(pk, bool) or not isinstance(pk, int):
        raise InvalidInput({"client_package": ["Unknown package."]})
    reserve_for_booking(booking=booking, client_package_id=pk)


def on_booking_declined(*, booking: Booking, **_: Any) -> None:
    _settle(booking, Kind.RELEASE, "Request declined")


def on_booking_cancelled(*, booking: Booking, late: bool = False, **_: Any) -> None:
    if late and package_settings_for(booking.trainer_id).late_cancel_forfeits:
        _settle(booking, Kind.FORFEIT, "Late cancellation")
    else:
        _settle(booking, Kind.RELEASE, "Late cancellation" if late else "Cancelled in time")


def on_booking_completed(*, booking: Booking, **_: Any) -> None:
    _settle(booking, Kind.CONSUME, "Session completed")


def on_booking_no_show(*, booking: Booking, **_: Any) -> None:
    if package_settings_for(booking.trainer_id).no_show_forfeits:
        _settle(booking, Kind.FORFEIT, "No-show")
    else:
        _settle(booking, Kind.RELEASE, "No-show (credit returned by your policy)")


def on_booking_rescheduled(*, booking: Booking, **_: Any) -> None:
    """The reservation moves with the booking, but not past the package's last day."""
    reservation = reservation_of(booking)
    if reservation is None:
        return
    cp = ClientPackage.objects.select_related("trainer").get(pk=reservation.client_package_id)
    if is_expired(cp, _local_day(booking.start, cp.trainer)):
        raise Conflict(
            f"This session is paid with a package that expires on {cp.expires_on:%d %b %Y}; "
            "choose a time on or before that day.",
            code=PACKAGE_EXPIRED,
        )


HANDLERS = {
    "booking.created": on_booking_created,
    "booking.declined": on_booking_declined,
    "booking.cancelled": on_booking_cancelled,
    "booking.completed": on_booking_completed,
    "booking.no_show": on_booking_no_show,
    "booking.rescheduled": on_booking_rescheduled,
}


# --- Expiry (the background worker) --------------------------------------------------------

EXPIRY_NOTICE_DAYS = 7


@dataclass
class ExpiryStats:
    expired: int = 0


def expire_one(*, trainer_id: int, pk: int, today: date | None = None) -> bool:
    """Take the free credits of one package past its last day. Safe to repeat, and with two
    workers: the locked row and the re-read balance make the second pass a no-op."""
    with transaction.atomic():
        cp = _lock(trainer_id, pk)
        if cp is None or cp.refunded_at is not None:
            return False
        if not is_expired(cp, today or today_for(cp.trainer)):
            return False
        left = balance_of(cp)
        if left <= 0:
            return False
        _append(cp, Kind.EXPIRE, -left, reason=f"Expired after {cp.expires_on:%d %b %Y}")
        return True


def expire_due(*, now: datetime | None = None) -> ExpiryStats:
    """Expire every package past its last day that still has credits. Idempotent: run it
    every minute or once a day."""
    from trainerhub.packages import selectors

    now = now or timezone.now()
    stats = ExpiryStats()
    # Every zone's today is at most a day past UTC's: candidates by UTC date plus one, and
    # the rule itself is checked in each trainer's zone.
    for trainer_id, pk in selectors.expiry_candidates(before=now.date() + timedelta(days=1)):
        trainer = User.objects.only("timezone").get(pk=trainer_id)
        if expire_one(trainer_id=trainer_id, pk=pk, today=_local_day(now, trainer)):
            stats.expired += 1
    return stats
