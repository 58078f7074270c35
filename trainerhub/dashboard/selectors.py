"""The dashboard's figures, each in a fixed number of queries whatever the data's size."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, Sum
from django.db.models.functions import TruncWeek

from trainerhub.accounts.models import User
from trainerhub.clients.models import Client
from trainerhub.core.tenancy import TrainerRef, trainer_id_of
from trainerhub.core.timezones import local_day_bounds, zone
from trainerhub.scheduling import selectors as scheduling
from trainerhub.scheduling.models import Booking, BookingEvent, Session, TimeOff

Status = Booking.Status
ACTIVE = (Status.PENDING, Status.CONFIRMED)
BOOKED = (Status.PENDING, Status.CONFIRMED, Status.COMPLETED, Status.NO_SHOW)
PERIODS = {"week": "This week", "month": "This month", "30d": "Last 30 days", "custom": "Custom"}
CHART_WEEKS = 12
MIN_GAP = timedelta(minutes=30)


@dataclass(frozen=True)
class Period:
    key: str
    first_day: date
    last_day: date
    tz: str

    @property
    def label(self) -> str:
        return PERIODS[self.key]

    @property
    def bounds(self) -> tuple[datetime, datetime]:
        return local_day_bounds(self.tz, self.first_day, self.last_day)


def period_for(
    key: str, *, today: date, tz: str, first: date | None = None, last: date | None = None
) -> Period:
    """The local dates of a named period; an unknown or incomplete one is this week."""
    if key == "month":
        start = today.replace(day=1)
        end = (start + timedelta(days=32)).replace(day=1) - timedelta(days=1)
        return Period("month", start, end, tz)
    if key == "30d":
        return Period("30d", today - timedelta(days=29), today, tz)
    if key == "custom" and first and last and first <= last and (last - first).days <= 366:
        return Period("custom", first, last, tz)
    monday = today - timedelta(days=today.weekday())
    return Period("week", monday, monday + timedelta(days=6), tz)


@dataclass
class Figures:
    total: int = 0
    upcoming: int = 0
    new_clients: int = 0
    cancelled: int = 0
    late_cancelled: int = 0
    completed: int = 0
    no_show: int = 0
    revenue: list[tuple[str, Decimal]] = field(default_factory=list)

    @property
    def attended_or_missed(self) -> int:
        return self.completed + self.no_show

    @property
    def no_show_rate(self) -> float | None:
        n = self.attended_or_missed
        return round(100 * self.no_show / n, 1) if n else None

    @property
    def attendance_rate(self) -> float | None:
        n = self.attended_or_missed
        return round(100 * self.completed / n, 1) if n else None


def period_figures(*, trainer: TrainerRef, period: Period, now: datetime) -> Figures:
    """Two queries: the bookings' counts and revenue per currency, and the new clients."""
    start, end = period.bounds
    in_period = Q(start__gte=start, start__lt=end)
    rows = (
        Booking.objects.filter(trainer_id=trainer_id_of(trainer))
        .filter(in_period | Q(start__gte=now, status__in=ACTIVE))
        .values("currency")
        .annotate(
            total=Count("id", filter=in_period & ~Q(status=Status.DECLINED)),
            upcoming=Count("id", filter=Q(start__gte=now, status__in=ACTIVE)),
            cancelled=Count("id", filter=in_period & Q(status=Status.CANCELLED)),
            late=Count("id", filter=in_period & Q(status=Status.CANCELLED, late_cancellation=True)),
            completed=Count("id", filter=in_period & Q(status=Status.COMPLETED)),
            no_show=Count("id", filter=in_period & Q(status=Status.NO_SHOW)),
            revenue=Sum("price", filter=in_period & Q(status__in=BOOKED)),
        )
        .order_by("currency")
    )
    figures = Figures()
    for row in rows:
        figures.total += row["total"]
        figures.upcoming += row["upcoming"]
        figures.cancelled += row["cancelled"]
        figures.late_cancelled += row["late"]
        figures.completed += row["completed"]
        figures.no_show += row["no_show"]
        if row["revenue"]:
            figures.revenue.append((row["currency"], row["revenue"]))
    figures.new_clients = Client.objects.filter(
        trainer_id=trainer_id_of(trainer), created_at__gte=start, created_at__lt=end
    ).count()
    return figures


def chart_data(*, trainer: TrainerRef, period: Period) -> dict[str, Any]:
    """Bookings per week (the 12 weeks ending with the period) and per service (the period).
    Two queries."""
    tz = zone(period.tz)
    last_monday = period.last_day - timedelta(days=period.last_day.weekday())
    first_monday = last_monday - timedelta(weeks=CHART_WEEKS - 1)
    lo, hi = local_day_bounds(period.tz, first_monday, last_monday + timedelta(6))
    weekly = (
        Booking.objects.filter(trainer_id=trainer_id_of(trainer), start__gte=lo, start__lt=hi)
        .exclude(status__in=(Status.DECLINED, Status.CANCELLED))
        .annotate(week=TruncWeek("start", tzinfo=tz))
        .values("week")
        .annotate(n=Count("id"))
        .order_by("week")
    )
    counts = {_as_date(row["week"], tz): row["n"] for row in weekly}
    mondays = [first_monday + timedelta(weeks=i) for i in range(CHART_WEEKS)]
    start, end = period.bounds
    by_service = (
        Booking.objects.filter(trainer_id=trainer_id_of(trainer), start__gte=start, start__lt=end)
        .exclude(status__in=(Status.DECLINED, Status.CANCELLED))
        .values("service__name", "service__color")
        .annotate(n=Count("id"))
        .order_by("-n", "service__name")
    )
    services = list(by_service)
    return {
        "weeks": {
            "labels": [m.strftime("%-d %b") for m in mondays],
            "counts": [counts.get(m, 0) for m in mondays],
        },
        "services": {
            "labels": [s["service__name"] for s in services],
            "counts": [s["n"] for s in services],
            "colors": [s["service__color"] for s in services],
        },
    }


def _as_date(value: date | datetime, tz: Any) -> date:
    if isinstance(value, datetime):
        return value.astimezone(tz).date() if value.tzinfo else value.date()
    return value


def todays_schedule(*, trainer: User, today: date) -> list[Booking]:
    """One query: today's sessions (declined requests left out), in order."""
    start, end = local_day_bounds(trainer.timezone, today, today)
    return list(
        scheduling.bookings_for_trainer(trainer=trainer, start=start, end=end).exclude(
            status=Status.DECLINED
        )
    )


def pending_requests(*, trainer: TrainerRef, now: datetime, limit: int = 6) -> list[Booking]:
    """One query: requests waiting for the trainer's answer, soonest first."""
    qs = scheduling.bookings_for_trainer(trainer=trainer, start=now, status=Status.PENDING)
    return list(qs[:limit])


@dataclass(frozen=True)
class Gap:
    start: datetime
    end: datetime

    @property
    def minutes(self) -> int:
        return int((self.end - self.start).total_seconds() // 60)


def free_gaps(
    *, trainer: User, now: datetime, today: date, last_day: date, limit: int = 12
) -> list[Gap]:
    """Working hours from now to `last_day` not taken by sessions (with their buffers) or
    time off, at least 30 minutes long. Four queries."""
    windows = scheduling.working_windows(trainer=trainer, first_day=today, last_day=last_day)
    if not windows:
        return []
    lo, hi = min(w[0] for w in windows), max(w[1] for w in windows)
    busy = [
        (s, e)
        for s, e in Session.objects.filter(
            trainer_id=trainer_id_of(trainer), active=True, blocked_end__gt=lo, blocked_start__lt=hi
        ).values_list("blocked_start", "blocked_end")
    ]
    busy += list(
        TimeOff.objects.filter(
            trainer_id=trainer_id_of(trainer), end__gt=lo, start__lt=hi
        ).values_list("start", "end")
    )
    busy.sort()
    gaps: list[Gap] = []
    for w_start, w_end in sorted(windows):
        for start, end in _subtract(max(w_start, now), w_end, busy):
            if end - start >= MIN_GAP:
                gaps.append(Gap(start, end))
    return gaps[:limit]


def _subtract(
    start: datetime, end: datetime, busy: list[tuple[datetime, datetime]]
) -> list[tuple[datetime, datetime]]:
    """[start, end) minus the sorted busy ranges."""
    free: list[tuple[datetime, datetime]] = []
    cursor = start
    for b_start, b_end in busy:
        if b_end <= cursor or b_start >= end:
            continue
        if b_start > cursor:
            free.append((cursor, b_start))
        cursor = max(cursor, b_end)
        if cursor >= end:
            break
    if cursor < end:
        free.append((cursor, end))
    return free


@dataclass(frozen=True)
class Activity:
    at: datetime
    kind: str
    text: str
    detail: str = ""
    url_name: str = ""
    url_arg: int | None = None
    when: datetime | None = None  # the session's start, for booking events


EVENT_VERBS: dict[str, str] = {
    BookingEvent.Kind.CREATED: "New booking",
    BookingEvent.Kind.CONFIRMED: "Confirmed",
    BookingEvent.Kind.DECLINED: "Declined",
    BookingEvent.Kind.RESCHEDULED: "Rescheduled",
    BookingEvent.Kind.CANCELLED: "Cancelled",
    BookingEvent.Kind.COMPLETED: "Completed",
    BookingEvent.Kind.NO_SHOW: "No-show",
    BookingEvent.Kind.EDITED: "Edited",
}


def activity_feed(*, trainer: TrainerRef, limit: int = 12) -> list[Activity]:
    """Two queries: the latest booking events and the latest clients, merged by time."""
    events = (
        BookingEvent.objects.filter(trainer_id=trainer_id_of(trainer))
        .select_related("booking__client", "booking__service")
        .order_by("-at", "-id")[:limit]
    )
    items = [
        Activity(
            at=e.at,
            kind=e.kind,
            text=f"{EVENT_VERBS.get(e.kind, e.kind)}: {e.booking.service.name} with "
            f"{e.booking.client.full_name}",
            detail=str(e.data.get("reason") or e.data.get("message") or ""),
            url_name="scheduling:booking_detail",
            url_arg=e.booking_id,
            when=e.booking.start,
        )
        for e in events
    ]
    clients = Client.objects.filter(
        trainer_id=trainer_id_of(trainer), erased_at__isnull=True
    ).order_by("-created_at", "-id")[: limit // 2]
    items += [
        Activity(
            at=c.created_at,
            kind="client_added",
            text=f"Client added: {c.full_name}",
            url_name="clients:detail",
            url_arg=c.pk,
        )
        for c in clients
    ]
    items.sort(key=lambda a: a.at, reverse=True)
    return items[:limit]
