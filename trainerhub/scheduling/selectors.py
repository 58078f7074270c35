"""Reads of the scheduling domain: the slot engine's inputs, bookings, working windows.

Every function takes the trainer explicitly and filters on it, so the answers are the same
in a page, the API, a command and the worker (see `core/tenancy.py`).
"""

from __future__ import annotations

import json
import sqlite3
from bisect import bisect_left
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from functools import cache
from typing import Any

from django.db import connection
from django.db.models import Count, IntegerField, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone

from trainerhub.accounts.models import User
from trainerhub.core.access import get_owned_or_404, pk_or_404
from trainerhub.core.tenancy import RowRef, TrainerRef, id_of, trainer_id_of
from trainerhub.core.timezones import local_day_bounds, zone
from trainerhub.scheduling import slots
from trainerhub.scheduling.instants import LocalDays, from_us
from trainerhub.scheduling.models import (
    Booking,
    BookingEvent,
    DateOverride,
    DiscountCode,
    ExternalBusy,
    SchedulingSettings,
    Service,
    ServiceAddon,
    Session,
    TimeOff,
    WeeklyInterval,
)

# Bookings that hold a seat in a session (a completed session stays held, and so does a
# booking held while its client pays online).
SEAT_STATUSES = (
    Booking.Status.PENDING,
    Booking.Status.CONFIRMED,
    Booking.Status.COMPLETED,
    Booking.Status.PENDING_PAYMENT,
)
# The longest range one slots listing may cover (the API's contract).
MAX_SLOT_RANGE_DAYS = 92
# Longest buffer (4 h) plus a DST shift, rounded up: how far outside the asked dates a session
# or time off can still touch a slot of those dates.
_MARGIN = timedelta(days=1)


def get_owned(model: Any, *, trainer: TrainerRef, pk: Any) -> Any:
    """The trainer's row of `model` with this id, else 404 (never another trainer's)."""
    return get_owned_or_404(model, trainer=trainer, pk=pk)


def owned_rows(model: Any, *, trainer: TrainerRef) -> QuerySet[Any]:
    """Every row of `model` the trainer owns, in the model's own order (the API's lists)."""
    rows: QuerySet[Any] = model.objects.filter(trainer_id=trainer_id_of(trainer))
    return rows


def services_for_trainer(*, trainer: TrainerRef, active_only: bool = False) -> QuerySet[Service]:
    """The trainer's services: bookable ones first, then by name."""
    qs = Service.objects.filter(trainer_id=trainer_id_of(trainer))
    if active_only:
        qs = qs.filter(is_active=True)
    return qs.order_by("-is_active", "name", "id")


def active_service_or_none(*, trainer: TrainerRef, pk: Any) -> Service | None:
    """The trainer's bookable service with this id; None for anything else (a picker's
    half-typed or stale value is not an error)."""
    try:
        return get_owned_or_404(Service.objects.filter(is_active=True), trainer=trainer, pk=pk)
    except Http404:
        return None


def addons_of_service(*, service: Service, active_only: bool = False) -> QuerySet[ServiceAddon]:
    qs = ServiceAddon.objects.filter(trainer_id=service.trainer_id, service=service)
    if active_only:
        qs = qs.filter(is_active=True)
    return qs.order_by("name", "id")


def addons_by_service(
    *, trainer: TrainerRef, service_ids: Iterable[int]
) -> dict[int, list[ServiceAddon]]:
    """The active add-ons of these services, in one query (pickers and public pages)."""
    found: dict[int, list[ServiceAddon]] = {pk: [] for pk in service_ids}
    for addon in ServiceAddon.objects.filter(
        trainer_id=trainer_id_of(trainer), service_id__in=list(found), is_active=True
    ).order_by("name", "id"):
        found[addon.service_id].append(addon)
    return found


def discounts_for_trainer(*, trainer: TrainerRef) -> QuerySet[DiscountCode]:
    """The trainer's codes, active first, with their services (two queries for any number)."""
    return (
        DiscountCode.objects.filter(trainer_id=trainer_id_of(trainer))
        .prefetch_related("services")
        .order_by("-is_active", "code", "id")
    )


def weekly_intervals(
    *, trainer: TrainerRef, weekday: int | None = None
) -> QuerySet[WeeklyInterval]:
    qs = WeeklyInterval.objects.filter(trainer_id=trainer_id_of(trainer)).select_related("service")
    if weekday is not None:
        qs = qs.filter(weekday=weekday)
    return qs


def date_overrides_for_trainer(*, trainer: TrainerRef) -> QuerySet[DateOverride]:
    return DateOverride.objects.filter(trainer_id=trainer_id_of(trainer)).order_by("date")


def time_off_for_trainer(
    *, trainer: TrainerRef, start: datetime | None = None, end: datetime | None = None
) -> QuerySet[TimeOff]:
    """The trainer's time off, overlapping [start, end) when given, by start."""
    qs = TimeOff.objects.filter(trainer_id=trainer_id_of(trainer))
    if start is not None:
        qs = qs.filter(end__gt=start)
    if end is not None:
        qs = qs.filter(start__lt=end)
    return qs.order_by("start")


def external_busy_for_trainer(
    *, trainer: TrainerRef, start: datetime, end: datetime
) -> QuerySet[ExternalBusy]:
    """The trainer's busy ranges from their own calendars overlapping [start, end), by start."""
    return ExternalBusy.objects.filter(
        trainer_id=trainer_id_of(trainer), end__gt=start, start__lt=end
    ).order_by("start")


def service_rules(service: Service, *, extra_minutes: int = 0) -> slots.ServiceRules:
    """The engine's view of a service; `extra_minutes` (a booking's add-ons) lengthen the
    session and so the gap it needs, while the grid of starts stays the service's own."""
    interval = service.slot_interval_minutes or service.duration_minutes
    return slots.ServiceRules(
        id=service.pk,
        duration=timedelta(minutes=service.duration_minutes + extra_minutes),
        buffer_before=timedelta(minutes=service.buffer_before_minutes),
        buffer_after=timedelta(minutes=service.buffer_after_minutes),
        interval=timedelta(minutes=interval),
        capacity=service.capacity,
        min_notice=timedelta(minutes=service.min_notice_minutes),
        max_advance=timedelta(days=service.max_advance_days),
        max_per_day=service.max_per_day,
    )


def _hhmm(value: str) -> time:
    return time.fromisoformat(value)


def load_slot_inputs(
    *,
    trainer: User,
    first_day: date,
    last_day: date,
    exclude_session_ids: Iterable[int] = (),
) -> tuple[slots.Availability, slots.BusyRows]:
    """The engine's inputs for the trainer's local dates first_day..last_day: six queries,
    however many bookings there are (seats are counted in the sessions query itself).

    Busy ranges from the trainer's own calendars join the time off: the engine treats both
    alike (never offered, never accepted unless the trainer overrides the rules by hand).

    Plain SQL over the models' tables, because this runs for every slot listing and every
    booking: building six ORM querysets cost more than the database's answers to them."""
    lo, hi = local_day_bounds(trainer.timezone, first_day, last_day)
    lo, hi = lo - _MARGIN, hi + _MARGIN
    sql = _loader_sql(connection.vendor)
    moment = connection.ops.adapt_datetimefield_value
    weekly = tuple(slots.WeeklyRule(*row) for row in _fetch(sql.weekly, [trainer.pk]))
    overrides = {
        day: slots.DayOverride(closed=bool(closed), intervals=_wall_pairs(intervals))
        for day, closed, intervals in _fetch(
            sql.overrides,
            [trainer.pk, first_day - timedelta(days=1), last_day + timedelta(days=1)],
        )
    }
    span = [trainer.pk, moment(lo), moment(hi)]
    time_off = tuple(
        slots.Range(from_us(start), from_us(end))
        for start, end in [*_fetch(sql.time_off, span), *_fetch(sql.external_busy, span)]
    )
    busy = busy_rows(trainer=trainer, start=lo, end=hi, exclude_session_ids=exclude_session_ids)
    limits = _fetch(sql.day_limit, [trainer.pk])
    availability = slots.Availability(
        tz=trainer.timezone,
        weekly=weekly,
        overrides=overrides,
        time_off=time_off,
        day_limit=_day_limit(*limits[0]) if limits else None,
    )
    return availability, busy


def _fetch(sql: str, params: list[Any]) -> list[tuple[Any, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows: list[tuple[Any, ...]] = cursor.fetchall()
    return rows


def _wall_pairs(intervals: Any) -> tuple[tuple[time, time], ...]:
    """An override's intervals (JSON text from the database, or already decoded)."""
    pairs = json.loads(intervals) if isinstance(intervals, str) else intervals
    return tuple((_hhmm(i["start"]), _hhmm(i["end"])) for i in pairs or ())


@dataclass(frozen=True)
class _LoaderSQL:
    weekly: str
    overrides: str
    time_off: str
    external_busy: str
    day_limit: str


@cache
def _loader_sql(vendor: str) -> _LoaderSQL:
    """The loader's five small reads (the sessions' is `_busy_sql`); only the models' table
    names and placeholders are formatted in, values are always parameters."""
    ranges = (
        'SELECT {start}, {end} FROM {table} WHERE trainer_id = %s AND "end" > %s'
        " AND start < %s ORDER BY start"
    )
    start, end = _epoch_us(vendor, "start"), _epoch_us(vendor, '"end"')
    return _LoaderSQL(
        weekly=(
            f'SELECT weekday, start, "end", service_id FROM {WeeklyInterval._meta.db_table}'  # noqa: S608
            " WHERE trainer_id = %s ORDER BY weekday, start, id"
        ),
        overrides=(
            f"SELECT date, closed, intervals FROM {DateOverride._meta.db_table}"  # noqa: S608
            " WHERE trainer_id = %s AND date >= %s AND date <= %s ORDER BY date"
        ),
        time_off=ranges.format(start=start, end=end, table=TimeOff._meta.db_table),
        external_busy=ranges.format(start=start, end=end, table=ExternalBusy._meta.db_table),
        day_limit=(
            "SELECT max_bookings_per_day, max_hours_per_day"  # noqa: S608
            f" FROM {SchedulingSettings._meta.db_table} WHERE trainer_id = %s"
        ),
    )


def day_limit_of(*, trainer: TrainerRef) -> slots.DayLimit | None:
    """The trainer's limit across all services on one local date (None: they set none)."""
    row = (
        SchedulingSettings.objects.filter(trainer_id=trainer_id_of(trainer))
        .values_list("max_bookings_per_day", "max_hours_per_day")
        .first()
    )
    return None if row is None else _day_limit(*row)


def _day_limit(bookings: int | None, hours: Any) -> slots.DayLimit | None:
    if bookings is None and hours is None:
        return None
    # Hours arrive as a Decimal (PostgreSQL) or a float (SQLite's numeric column).
    minutes = None if hours is None else int(Decimal(str(hours)) * 60)
    booked = None if minutes is None else timedelta(minutes=minutes)
    return slots.DayLimit(bookings=bookings, booked=booked)


def busy_rows(
    *, trainer: TrainerRef, start: datetime, end: datetime, exclude_session_ids: Iterable[int] = ()
) -> slots.BusyRows:
    """The trainer's active sessions whose blocked range overlaps [start, end), with their
    seats taken, as the engine's integer rows (one query, ordered by blocked start).

    Plain SQL, because this runs for every slot listing and booking: the times travel as
    integers (microseconds since 1970, computed by the database), so no datetime is parsed
    or made per row; the partial index on (trainer, blocked_end) of active sessions starts
    the read at `start`, so a trainer's past sessions are never read. A private session's
    seat is the session itself (a session is active exactly while a booking holds a seat in
    it, and a private one has one seat: `services.bookings._refresh_session`); a group
    session's seats are counted through the bookings' session index (a join would hash every
    booking of the trainer's history)."""
    excluded = [int(pk) for pk in exclude_session_ids]
    sql = _busy_sql(connection.vendor, len(excluded))
    moment = connection.ops.adapt_datetimefield_value
    params = [*SEAT_STATUSES, trainer_id_of(trainer), moment(start), moment(end), *excluded]
    return slots.BusyRows(_fetch(sql, params))


def _busy_sql(vendor: str, excluded: int) -> str:
    session, booking = Session._meta.db_table, Booking._meta.db_table
    seats = ", ".join(["%s"] * len(SEAT_STATUSES))
    times = ", ".join(_epoch_us(vendor, f"s.{column}") for column in _TIMES)
    skip = f" AND s.id NOT IN ({', '.join(['%s'] * excluded)})" if excluded else ""
    # Only table names from the models and placeholders are formatted in; values are params.
    return (
        f"SELECT s.id, s.service_id, {times}, "  # noqa: S608
        f"CASE WHEN s.capacity = 1 THEN 1 ELSE (SELECT COUNT(*) FROM {booking} b"
        f" WHERE b.session_id = s.id AND b.status IN ({seats})) END,"
        f" s.capacity FROM {session} s"
        " WHERE s.trainer_id = %s AND s.active AND s.blocked_end > %s AND s.blocked_start < %s"
        f"{skip} ORDER BY s.blocked_start"
    )


_TIMES = ("start", '"end"', "blocked_start", "blocked_end")


def _epoch_us(vendor: str, column: str) -> str:
    """SQL for a datetime column as whole microseconds since 1970 (an exact integer)."""
    if vendor == "postgresql":
        return f"(EXTRACT(EPOCH FROM {column}) * 1000000)::bigint"
    # SQLite keeps Django's datetimes as UTC text 'YYYY-MM-DD HH:MM:SS[.ffffff]': whole
    # seconds from unixepoch (SQLite 3.38+; twice as fast as strftime), the microseconds
    # from the text (an empty part casts to 0).
    seconds = (
        f"unixepoch({column})"
        if sqlite3.sqlite_version_info >= (3, 38)
        else f"CAST(strftime('%%s', {column}) AS INTEGER)"
    )
    return f"({seconds} * 1000000 + CAST(substr({column}, 21, 6) AS INTEGER))"


def slots_for_service(
    *,
    trainer: User,
    service: Service,
    first_day: date,
    last_day: date,
    now: datetime | None = None,
    extra_minutes: int = 0,
) -> list[slots.Slot]:
    availability, busy = load_slot_inputs(trainer=trainer, first_day=first_day, last_day=last_day)
    return slots.compute_slots(
        service_rules(service, extra_minutes=extra_minutes),
        availability,
        busy,
        now=now or timezone.now(),
        first_day=first_day,
        last_day=last_day,
    )


def slots_on_local_dates(
    *,
    trainer: User,
    service: Service,
    first_day: date,
    last_day: date,
    tz_name: str,
    extra_minutes: int = 0,
) -> list[slots.Slot]:
    """Free slots whose start falls on first_day..last_day as dates in `tz_name` (a viewer's
    zone, which may differ from the trainer's); `extra_minutes` of chosen add-ons lengthen
    each candidate."""
    return slots.as_slots(
        offered_on_local_dates(
            trainer=trainer,
            service=service,
            first_day=first_day,
            last_day=last_day,
            tz_name=tz_name,
            extra_minutes=extra_minutes,
        )
    )


def offered_on_local_dates(
    *,
    trainer: User,
    service: Service,
    first_day: date,
    last_day: date,
    tz_name: str,
    extra_minutes: int = 0,
) -> list[slots.OfferedRow]:
    """slots_on_local_dates as the engine's integer rows (start, end, available, session_id):
    what a long listing formats without making a datetime per slot."""
    # The viewer's dates straddle the trainer's: ask one day more on each side.
    first, last = first_day - timedelta(days=1), last_day + timedelta(days=1)
    availability, busy = load_slot_inputs(trainer=trainer, first_day=first, last_day=last)
    found = slots.offered(
        service_rules(service, extra_minutes=extra_minutes),
        availability,
        busy,
        now=timezone.now(),
        first_day=first,
        last_day=last,
    )
    if not found:
        return []
    days = LocalDays(zone(tz_name), found[0][0], found[-1][0])
    bounds = days.bounds(first_day, last_day)
    if bounds is not None:
        # No clock change in the span: the viewer's dates are one range of instants, and the
        # rows are sorted by start (two bisects instead of a local date per slot).
        starts = [row[0] for row in found]
        return found[bisect_left(starts, bounds[0]) : bisect_left(starts, bounds[1])]
    return [row for row in found if first_day <= days.of(row[0]) <= last_day]


def booking_get_for_trainer(*, trainer: TrainerRef, pk: Any) -> Booking:
    detailed = Booking.objects.select_related("client", "service", "session", "series")
    return get_owned_or_404(detailed.annotate(attendees=_attendees()), trainer=trainer, pk=pk)


def _attendees() -> Coalesce:
    """The seats taken in the booking's session, as a subquery per row: a joined Count made
    PostgreSQL group every booking of the filter before the page's LIMIT (at three years, the
    whole history), and cost a GROUP BY over every column even for one booking."""
    seats = (
        Booking.objects.filter(session_id=OuterRef("session_id"), status__in=SEAT_STATUSES)
        .order_by()
        .values("session_id")
        .annotate(n=Count("pk"))
        .values("n")[:1]
    )
    return Coalesce(Subquery(seats, output_field=IntegerField()), 0)


def session_bookings(*, trainer: TrainerRef, session_pk: int) -> list[Booking]:
    """Every booking of one of the trainer's sessions (a group class's attendees), by name;
    404 when the trainer has no such session."""
    bookings = list(
        Booking.objects.filter(trainer_id=trainer_id_of(trainer), session_id=pk_or_404(session_pk))
        .select_related("client", "service", "session")
        .order_by("client__first_name", "client__last_name", "id")
    )
    if not bookings:
        raise Http404("No such session.")
    return bookings


def bookings_for_trainer(
    *,
    trainer: TrainerRef,
    start: datetime | None = None,
    end: datetime | None = None,
    status: str | Iterable[str] | None = None,
    client: RowRef | None = None,
    service: RowRef | None = None,
    pks: Iterable[int] | None = None,
) -> QuerySet[Booking]:
    """The trainer's bookings overlapping [start, end), newest filters applied, by start."""
    qs = Booking.objects.filter(trainer_id=trainer_id_of(trainer)).select_related(
        "client", "service"
    )
    if pks is not None:
        qs = qs.filter(pk__in=list(pks))
    if start is not None:
        qs = qs.filter(end__gt=start)
    if end is not None:
        qs = qs.filter(start__lt=end)
    if status:
        qs = qs.filter(status__in=[status] if isinstance(status, str) else list(status))
    if client is not None:
        qs = qs.filter(client_id=id_of(client))
    if service is not None:
        qs = qs.filter(service_id=id_of(service))
    return qs.annotate(attendees=_attendees()).order_by("start", "id")


def booking_history(*, booking: Booking) -> QuerySet[BookingEvent]:
    return booking.events.select_related("actor_user").order_by("at", "id")


def working_windows(
    *, trainer: User, first_day: date, last_day: date
) -> list[tuple[datetime, datetime]]:
    """The trainer's working hours (any service) on those local dates, as UTC instants; time
    off and bookings are drawn separately on the calendar."""
    tz = zone(trainer.timezone)
    weekly: dict[int, list[tuple[time, time]]] = {}
    for rule in WeeklyInterval.objects.filter(trainer=trainer):
        weekly.setdefault(rule.weekday, []).append((rule.start, rule.end))
    overrides = {
        o.date: o
        for o in DateOverride.objects.filter(
            trainer=trainer, date__gte=first_day, date__lte=last_day
        )
    }
    windows: list[tuple[datetime, datetime]] = []
    day = first_day
    while day <= last_day:
        override = overrides.get(day)
        if override is not None:
            pairs = (
                []
                if override.closed
                else [(_hhmm(i["start"]), _hhmm(i["end"])) for i in override.intervals or ()]
            )
        else:
            pairs = weekly.get(day.weekday(), [])
        for start, end in sorted(set(pairs)):
            windows.append(
                (
                    datetime.combine(day, start, tzinfo=tz).astimezone(zone("UTC")),
                    datetime.combine(day, end, tzinfo=tz).astimezone(zone("UTC")),
                )
            )
        day += timedelta(days=1)
    return windows
