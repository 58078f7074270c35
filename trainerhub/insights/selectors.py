"""Insights: when people book, how full the hours are, who comes back, who cancels.

Every figure is an aggregate the database computes (counts grouped by local weekday and
hour, by local month, by client), read in a fixed number of queries whatever the data's
size, in the trainer's timezone (`tzinfo` of the extract and trunc functions). A *visit*
is a booking that happened: completed, or confirmed and already started (not marked yet).
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections import defaultdict
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.db.models import Count, Min, Q, QuerySet, Sum
from django.utils import timezone

from trainerhub.accounts.models import User
from trainerhub.core.tenancy import trainer_id_of
from trainerhub.core.timezones import zone
from trainerhub.insights.localtime import LocalPart
from trainerhub.insights.periods import Period, add_months, months_between
from trainerhub.scheduling import selectors as scheduling
from trainerhub.scheduling import slots
from trainerhub.scheduling.models import Booking, Service

Status = Booking.Status
# A booked place (held, happened or missed): what the heatmap's sessions layer counts.
BOOKED = (Status.PENDING, Status.CONFIRMED, Status.COMPLETED)
MISSED = (Status.CANCELLED, Status.NO_SHOW)
WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
UTILISATION_WEEKS = 12
COHORT_OFFSETS = (1, 2, 3, 6)
TOP = 10


def visit_q(now: datetime, prefix: str = "") -> Q:
    """The bookings that happened by `now` (see the module's docstring)."""
    return Q(**{f"{prefix}status": Status.COMPLETED}) | Q(
        **{f"{prefix}status": Status.CONFIRMED, f"{prefix}start__lt": now}
    )


def _bookings(trainer: User, service: Service | None) -> QuerySet[Booking]:
    qs = Booking.objects.filter(trainer_id=trainer_id_of(trainer))
    if service is not None:
        qs = qs.filter(service_id=service.pk)
    return qs


def _in(period: Period) -> Q:
    start, end = period.bounds
    return Q(start__gte=start, start__lt=end)


def _pct(part: float, whole: float) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def _change(current: float | None, previous: float | None) -> float | None:
    """The change from the previous period in percent of it (None when it was 0)."""
    if current is None or previous is None or not previous:
        return None
    return round(100 * (current - previous) / previous, 1)


def compare(current: dict[str, Any], previous: dict[str, Any]) -> dict[str, Any]:
    """Each number of `current` beside its previous value and the change in percent."""
    return {
        key: {
            "current": value,
            "previous": previous.get(key),
            "change": _change(value, previous.get(key)),
        }
        for key, value in current.items()
        if isinstance(value, int | float) or value is None
    }


# --- When people book ---------------------------------------------------------------------


def heatmap(*, trainer: User, period: Period, service: Service | None = None) -> dict[str, Any]:
    """Bookings by local weekday and hour (sessions and, as their own layer, no-shows and
    cancellations), the busiest and emptiest working hours, and the previous period's
    totals. Two queries and the weekly hours (one)."""
    lo, hi = period.bounds
    tz_name = trainer.timezone
    cells = (
        _bookings(trainer, service)
        .filter(_in(period))
        .annotate(
            wd=LocalPart("start", "weekday", tz_name, lo, hi),
            hr=LocalPart("start", "hour", tz_name, lo, hi),
        )
        .values("wd", "hr")
        .annotate(
            sessions=Count("id", filter=Q(status__in=BOOKED)),
            missed=Count("id", filter=Q(status__in=MISSED)),
        )
        .order_by()
    )
    sessions = [[0] * 24 for _ in range(7)]
    missed = [[0] * 24 for _ in range(7)]
    for row in cells:
        sessions[row["wd"] - 1][row["hr"]] += row["sessions"]
        missed[row["wd"] - 1][row["hr"]] += row["missed"]
    prev = (
        _bookings(trainer, service)
        .filter(_in(period.previous()))
        .aggregate(
            sessions=Count("id", filter=Q(status__in=BOOKED)),
            missed=Count("id", filter=Q(status__in=MISSED)),
        )
    )
    working = _working_cells(trainer, service)
    ranked = sorted(working, key=lambda c: (sessions[c[0]][c[1]], c))

    def cell(c: tuple[int, int]) -> dict[str, Any]:
        return {"weekday": WEEKDAYS[c[0]], "hour": c[1], "sessions": sessions[c[0]][c[1]]}

    busiest = sorted(working, key=lambda c: (-sessions[c[0]][c[1]], c))[:3]
    current = {"sessions": sum(map(sum, sessions)), "missed": sum(map(sum, missed))}
    return {
        "weekdays": list(WEEKDAYS),
        "hours": list(range(24)),
        "sessions": sessions,
        "missed": missed,
        "working": sorted([list(c) for c in working]),
        "busiest": [cell(c) for c in busiest if sessions[c[0]][c[1]]],
        "emptiest": [cell(c) for c in ranked[:3]],
        "totals": compare(current, prev),
    }


def _working_cells(trainer: User, service: Service | None) -> set[tuple[int, int]]:
    """(weekday, hour) cells the weekly hours touch (for the service, when given)."""
    found: set[tuple[int, int]] = set()
    for rule in scheduling.weekly_intervals(trainer=trainer):
        if service is not None and rule.service_id not in (None, service.pk):
            continue
        end_minute = rule.end.hour * 60 + rule.end.minute
        hour = rule.start.hour
        while hour * 60 < end_minute:
            found.add((rule.weekday, hour))
            hour += 1
    return found


# --- Utilisation --------------------------------------------------------------------------


def utilisation(*, trainer: User, last_day: date, weeks: int = UTILISATION_WEEKS) -> dict[str, Any]:
    """Booked ÷ available minutes for each of `weeks` local weeks (Monday to Sunday) up to
    the week of last_day. Available time is what the slot engine works from: the weekly
    hours (any service), a date's override instead of them, minus time off and busy times
    from the trainer's own calendars. Booked time is the active sessions inside it. The
    engine's five input queries, whatever the weeks hold."""
    monday = last_day - timedelta(days=last_day.weekday())
    first = monday - timedelta(weeks=weeks - 1)
    last = monday + timedelta(days=6)
    availability, busy = scheduling.load_slot_inputs(
        trainer=trainer, first_day=first, last_day=last
    )
    tz = zone(trainer.timezone)
    weekly: dict[int, list[tuple[time, time]]] = defaultdict(list)
    for rule in availability.weekly:
        weekly[rule.weekday].append((rule.start, rule.end))
    booked_ranges = sorted((s.start, s.end) for s in busy if s.seats_taken > 0)
    rows: list[dict[str, Any]] = []
    for week in range(weeks):
        week_start = first + timedelta(weeks=week)
        windows: list[tuple[datetime, datetime]] = []
        for offset in range(7):
            day = week_start + timedelta(days=offset)
            windows.extend(_day_windows(day, availability, weekly, tz))
        free = _subtract(_merge(windows), availability.time_off)
        available = _minutes(free)
        booked = _minutes(_intersect(free, booked_ranges))
        rows.append(
            {
                "week": week_start.isoformat(),
                "available_minutes": available,
                "booked_minutes": booked,
                "utilisation": _pct(booked, available),
            }
        )
    total_available = sum(r["available_minutes"] for r in rows)
    total_booked = sum(r["booked_minutes"] for r in rows)
    return {"weeks": rows, "average": _pct(total_booked, total_available)}


def _day_windows(
    day: date,
    availability: slots.Availability,
    weekly: dict[int, list[tuple[time, time]]],
    tz: Any,
) -> list[tuple[datetime, datetime]]:
    override = availability.overrides.get(day)
    if override is not None:
        walls: Any = () if override.closed else override.intervals
    else:
        walls = weekly.get(day.weekday(), ())
    return [
        (datetime.combine(day, start, tzinfo=tz), datetime.combine(day, end, tzinfo=tz))
        for start, end in walls
        if start < end
    ]


def _merge(ranges: list[tuple[datetime, datetime]]) -> list[tuple[datetime, datetime]]:
    merged: list[tuple[datetime, datetime]] = []
    for start, end in sorted(ranges):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def _subtract(
    windows: list[tuple[datetime, datetime]], holes: tuple[slots.Range, ...]
) -> list[tuple[datetime, datetime]]:
    result = windows
    for hole in holes:
        nxt: list[tuple[datetime, datetime]] = []
        for start, end in result:
            if hole.end <= start or hole.start >= end:
                nxt.append((start, end))
                continue
            if hole.start > start:
                nxt.append((start, hole.start))
            if hole.end < end:
                nxt.append((hole.end, end))
        result = nxt
    return result


def _intersect(
    windows: list[tuple[datetime, datetime]], ranges: list[tuple[datetime, datetime]]
) -> list[tuple[datetime, datetime]]:
    """The parts of the sorted ranges inside the windows (a bisect per window: only
    ranges starting after window start - the longest range can reach it)."""
    starts = [start for start, _ in ranges]
    longest = max((end - start for start, end in ranges), default=timedelta(0))
    found = []
    for w_start, w_end in windows:
        for r_start, r_end in ranges[bisect_left(starts, w_start - longest) :]:
            if r_start >= w_end:
                break
            start, end = max(w_start, r_start), min(w_end, r_end)
            if start < end:
                found.append((start, end))
    return found


def _minutes(ranges: list[tuple[datetime, datetime]]) -> int:
    return int(sum((end - start).total_seconds() for start, end in ranges) // 60)


# --- Clients ------------------------------------------------------------------------------


def clients(
    *, trainer: User, period: Period, service: Service | None = None, now: datetime | None = None
) -> dict[str, Any]:
    """New and returning clients, repeat-client %, sessions per client per month and the
    clients who came most, with the previous period's figures. Two queries a period."""
    now = now or timezone.now()
    current, top = _client_figures(trainer, period, service, now)
    previous, _ = _client_figures(trainer, period.previous(), service, now)
    return {**current, "top": top, "comparison": compare(current, previous)}


def _client_figures(
    trainer: User, period: Period, service: Service | None, now: datetime
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    start, end = period.bounds
    visit = visit_q(now)
    rows = list(
        _bookings(trainer, service)
        .filter(visit, start__lt=end)
        .values("client_id", "client__first_name", "client__last_name")
        .annotate(first=Min("start"), visits=Count("id", filter=Q(start__gte=start)))
        .filter(visits__gt=0)
        .order_by("-visits", "client__first_name", "client_id")
    )
    visitors = len(rows)
    new = sum(1 for r in rows if r["first"] >= start)
    repeat = sum(1 for r in rows if r["visits"] >= 2)
    visits = sum(r["visits"] for r in rows)
    months = max(period.days / 30.4375, 1.0)
    figures = {
        "clients": visitors,
        "new": new,
        "returning": visitors - new,
        "repeat_pct": _pct(repeat, visitors),
        "visits": visits,
        "sessions_per_client_month": round(visits / visitors / months, 2) if visitors else None,
    }
    top = [
        {
            "client": r["client_id"],
            "name": f"{r['client__first_name']} {r['client__last_name']}".strip(),
            "visits": r["visits"],
        }
        for r in rows[:TOP]
    ]
    return figures, top


def retention(
    *, trainer: User, period: Period, service: Service | None = None, now: datetime | None = None
) -> dict[str, Any]:
    """Cohorts by first-visit month (the months of the period): the share of each cohort
    with a visit 1, 2, 3 and 6 months later (None while that month has not ended). One
    query: the distinct (client, local month) pairs with a visit."""
    now = now or timezone.now()
    tz = zone(trainer.timezone)
    # Exact local months from a little before the period to now; earlier visits only need
    # to fall before the period (see localtime).
    lo = period.bounds[0] - timedelta(days=40)
    hi = max(period.bounds[1], now) + timedelta(days=1)
    pairs = (
        _bookings(trainer, service)
        .filter(visit_q(now))
        .annotate(month=LocalPart("start", "month", trainer.timezone, lo, hi))
        .values_list("client_id", "month")
        .distinct()
        .order_by()
    )
    months_of: dict[int, set[date]] = defaultdict(set)
    for client_id, month in pairs:
        day = month.date() if isinstance(month, datetime) else month
        months_of[client_id].add(day)
    this_month = now.astimezone(tz).date().replace(day=1)
    cohorts: dict[date, list[set[date]]] = defaultdict(list)
    for months in months_of.values():
        cohorts[min(months)].append(months)
    rows = []
    for month in months_between(period.first_day, period.last_day):
        members = cohorts.get(month, [])
        shares: dict[str, float | None] = {}
        for offset in COHORT_OFFSETS:
            later = add_months(month, offset)
            if later >= this_month or not members:
                shares[str(offset)] = None
            else:
                shares[str(offset)] = _pct(sum(1 for m in members if later in m), len(members))
        rows.append({"month": month.isoformat()[:7], "size": len(members), "retained": shares})
    return {"offsets": list(COHORT_OFFSETS), "cohorts": rows}


# --- Cancellations ------------------------------------------------------------------------

REASON_GROUPS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Illness", ("sick", "ill", "flu", "cold", "unwell", "covid", "fever", "doctor", "migraine")),
    ("Injury", ("injur", "hurt", "pain", "sprain", "physio")),
    ("Work", ("work", "meeting", "office", "job", "shift", "deadline")),
    ("Travel", ("travel", "trip", "holiday", "vacation", "flight", "away", "abroad")),
    ("Family", ("family", "kid", "child", "son", "daughter", "baby", "partner", "wedding")),
    ("Schedule clash", ("clash", "conflict", "schedule", "double", "forgot", "overslept", "late")),
    ("Transport", ("traffic", "car", "train", "bus", "transport", "parking")),
    ("Weather", ("weather", "rain", "snow", "storm")),
    ("Money", ("money", "afford", "price", "budget")),
)
NO_REASON = "No reason given"
OTHER = "Other"


def reason_group(reason: str) -> str:
    """The group a free-text cancellation reason belongs to (first matching keyword)."""
    words = re.findall(r"[a-z]+", reason.lower())
    if not words:
        return NO_REASON
    for label, keys in REASON_GROUPS:
        if any(word.startswith(key) for word in words for key in keys):
            return label
    return OTHER


def cancellations(
    *, trainer: User, period: Period, service: Service | None = None
) -> dict[str, Any]:
    """Cancellation, late-cancellation and no-show rates by local month, the reasons
    grouped, the clients who cancel or miss most, and the previous period's rates. Four
    queries and one for the comparison."""
    lo, hi = period.bounds
    qs = _bookings(trainer, service).exclude(status=Status.DECLINED)
    counts = {
        "total": Count("id"),
        "cancelled": Count("id", filter=Q(status=Status.CANCELLED)),
        "late": Count("id", filter=Q(status=Status.CANCELLED, late_cancellation=True)),
        "no_show": Count("id", filter=Q(status=Status.NO_SHOW)),
        "completed": Count("id", filter=Q(status=Status.COMPLETED)),
    }
    by_month = {
        (r["month"].date() if isinstance(r["month"], datetime) else r["month"]): r
        for r in qs.filter(_in(period))
        .annotate(month=LocalPart("start", "month", trainer.timezone, lo, hi))
        .values("month")
        .annotate(**counts)
        .order_by("month")
    }
    months = []
    for month in months_between(period.first_day, period.last_day):
        empty: dict[str, Any] = {
            "total": 0,
            "cancelled": 0,
            "late": 0,
            "no_show": 0,
            "completed": 0,
        }
        row: dict[str, Any] = dict(by_month.get(month, empty))
        months.append({"month": month.isoformat()[:7], **_rates(row)})
    totals = {
        k: sum(m[k] for m in months) for k in ("total", "cancelled", "late", "no_show", "completed")
    }
    current = _rates(totals)
    previous = _rates(qs.filter(_in(period.previous())).aggregate(**counts))
    reasons: dict[str, int] = defaultdict(int)
    for reason, n in (
        qs.filter(_in(period), status=Status.CANCELLED)
        .values_list("cancellation_reason")
        .annotate(n=Count("id"))
        .order_by()
    ):
        reasons[reason_group(reason)] += n
    clients = (
        qs.filter(_in(period))
        .values("client_id", "client__first_name", "client__last_name")
        .annotate(
            total=Count("id"),
            cancelled=Count("id", filter=Q(status=Status.CANCELLED)),
            late=Count("id", filter=Q(status=Status.CANCELLED, late_cancellation=True)),
            no_show=Count("id", filter=Q(status=Status.NO_SHOW)),
        )
        .filter(Q(cancelled__gt=0) | Q(no_show__gt=0))
        .order_by("-cancelled", "-no_show", "client__first_name", "client_id")[:TOP]
    )
    return {
        "months": months,
        **current,
        "comparison": compare(current, previous),
        "reasons": [
            {"reason": k, "count": v}
            for k, v in sorted(reasons.items(), key=lambda kv: (-kv[1], kv[0]))
        ],
        "clients": [
            {
                "client": r["client_id"],
                "name": f"{r['client__first_name']} {r['client__last_name']}".strip(),
                "bookings": r["total"],
                "cancelled": r["cancelled"],
                "late": r["late"],
                "no_show": r["no_show"],
                "cancel_rate": _pct(r["cancelled"], r["total"]),
            }
            for r in clients
        ],
    }


def _rates(row: dict[str, Any]) -> dict[str, Any]:
    total, cancelled, late = row["total"] or 0, row["cancelled"] or 0, row["late"] or 0
    no_show, completed = row["no_show"] or 0, row["completed"] or 0
    return {
        "total": total,
        "cancelled": cancelled,
        "late": late,
        "no_show": no_show,
        "completed": completed,
        "cancel_rate": _pct(cancelled, total),
        "late_rate": _pct(late, total),
        "no_show_rate": _pct(no_show, completed + no_show),
    }


# --- Money --------------------------------------------------------------------------------

HELD = (Status.PENDING, Status.CONFIRMED, Status.COMPLETED, Status.NO_SHOW)


def money(*, trainer: User, period: Period, service: Service | None = None) -> dict[str, Any]:
    """Booked revenue (the bookings' price snapshots) by local month and by service, the
    average booking value, each per currency, and the previous period's totals. Three
    queries; the outstanding amounts and package credits are billing's and packages'."""
    lo, hi = period.bounds
    qs = _bookings(trainer, service).filter(status__in=HELD)
    months = [
        {"month": f"{r['month']:%Y-%m}", "currency": r["currency"], "revenue": r["total"]}
        for r in qs.filter(_in(period))
        .annotate(month=LocalPart("start", "month", trainer.timezone, lo, hi))
        .values("month", "currency")
        .annotate(total=Sum("price"))
        .order_by("month", "currency")
    ]
    by_service = [
        {
            "service": r["service__name"],
            "currency": r["currency"],
            "revenue": r["total"],
            "bookings": r["n"],
        }
        for r in qs.filter(_in(period))
        .values("service__name", "currency")
        .annotate(total=Sum("price"), n=Count("id"))
        .order_by("-total", "service__name")
    ]
    previous = {
        r["currency"]: r["total"]
        for r in qs.filter(_in(period.previous()))
        .values("currency")
        .annotate(total=Sum("price"))
        .order_by()
    }
    totals: dict[str, dict[str, Any]] = {}
    for row in by_service:
        t = totals.setdefault(row["currency"], {"revenue": Decimal(0), "bookings": 0})
        t["revenue"] += row["revenue"]
        t["bookings"] += row["bookings"]
    summary = [
        {
            "currency": currency,
            "revenue": t["revenue"],
            "average_booking_value": (t["revenue"] / t["bookings"]).quantize(Decimal("0.01")),
            "previous_revenue": previous.get(currency, Decimal(0)),
        }
        for currency, t in sorted(totals.items())
    ]
    return {"months": months, "by_service": by_service, "totals": summary}
