"""The slot engine: which starts a service may be booked at. Plain Python over plain values.

No ORM, no clock, no I/O: `now` and everything the rules need arrive as arguments, so the
same function lists slots for a page and validates a candidate for a booking, and tests can
exercise every rule in isolation. `scheduling.selectors.load_slot_inputs` loads a trainer's
data into these values in a constant number of queries.

The rules (issue "Scheduling core", section "The slot rules") in short:
1. Working windows of a local date: its override's intervals (none if closed), else the
   weekly intervals of its weekday that apply to the service (service None = any service).
2. Wall-clock window bounds become instants in the trainer's zone with fold=0 (a missing
   time moves forward by the gap, an ambiguous one is the first occurrence). Candidates:
   window start, then every `interval` of elapsed time, while start + duration <= window end.
3. A candidate is offered when: now + min_notice <= start <= now + max_advance; its blocked
   range [start - buffer_before, start + duration + buffer_after) overlaps no time off and no
   other active session's blocked range; fewer than max_per_day active bookings of the
   service on that local date; within the trainer's day limit across all services
   (`Availability.day_limit`: fewer than `bookings` active bookings on that local date, and
   the sessions' own hours there plus this new session's at most `booked`; joining a group
   session adds a booking but no hours); for a group service, a candidate starting exactly
   at an existing session of the same service is offered while seats remain (that session
   is not a clash for it).
4. Nothing in the past. `override_rules` (trainer by hand) lifts notice, horizon, working
   hours/grid, time off and both day limits, never overlaps, capacity or the past.
5. The grid is for clients: `any_start` (a trainer booking or moving by hand) accepts any
   start inside a working window (start + duration within it), on the grid or not. Off the
   grid without it, the refusal is off_grid, not outside_hours: the hours are not the issue.

Every public function (compute_slots, offered: its integer rows, check_candidate) runs each
candidate through the one judge (`_judge_all`), so a listed slot is always accepted and an
accepted start is always listed. When several rules refuse a start,
the first of this order names it (most fundamental first, so the answer points at what the
caller can change): in_past, outside_hours, too_soon, too_far, time_off, session_full,
slot_taken, day_full, day_limit.

Slot times are UTC-aware datetimes; callers convert them for display. `available` of a
slot that opens a new session is the service's capacity (1 if private); of a slot joining a
group session, that session's own `capacity` (its snapshot) minus its seats taken. Only a
service with capacity > 1 joins a session. A session of the same service at the same start
is a clash for a private service (slot_taken).
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from itertools import accumulate
from operator import itemgetter
from typing import NamedTuple, overload
from zoneinfo import ZoneInfo

from trainerhub.scheduling.instants import (
    DAY_US,
    EPOCH,
    MICROSECOND,
    MIDNIGHT,
    ONE_DAY,
    LocalDays,
    from_us,
    to_us,
)


class RefusalCode:
    SLOT_TAKEN = "slot_taken"
    OUTSIDE_HOURS = "outside_hours"
    OFF_GRID = "off_grid"  # inside the hours, but not one of the service's start times
    TOO_SOON = "too_soon"
    TOO_FAR = "too_far"
    DAY_FULL = "day_full"
    IN_PAST = "in_past"
    TIME_OFF = "time_off"
    SESSION_FULL = "session_full"
    DAY_LIMIT = "day_limit"  # the trainer's limit across all services for that local date


class SlotRefused(Exception):  # a refusal, not a programming error
    """A candidate start broke a rule; `code` is one of RefusalCode, `detail` says why."""

    def __init__(self, code: str, detail: str) -> None:
        super().__init__(detail)
        self.code = code
        self.detail = detail


@dataclass(frozen=True, slots=True)
class ServiceRules:
    id: int
    duration: timedelta
    buffer_before: timedelta = timedelta(0)
    buffer_after: timedelta = timedelta(0)
    interval: timedelta | None = None  # None: every `duration`
    capacity: int = 1
    min_notice: timedelta = timedelta(0)
    max_advance: timedelta = timedelta(days=60)
    max_per_day: int | None = None


@dataclass(frozen=True, slots=True)
class WeeklyRule:
    weekday: int  # 0 = Monday
    start: time
    end: time
    service_id: int | None = None  # None: applies to every service


@dataclass(frozen=True, slots=True)
class DayOverride:
    closed: bool
    intervals: tuple[tuple[time, time], ...] = ()


@dataclass(frozen=True, slots=True)
class Range:
    start: datetime  # aware
    end: datetime  # aware, exclusive


@dataclass(frozen=True, slots=True)
class BusySession:
    """An active session of the trainer (any service) with its own blocked range."""

    session_id: int
    service_id: int
    start: datetime
    end: datetime
    blocked_start: datetime
    blocked_end: datetime
    seats_taken: int  # active bookings in it
    capacity: int


# One session as the loader reads it: (session_id, service_id, start, end, blocked_start,
# blocked_end, seats_taken, capacity), instants as whole microseconds since 1970 (UTC).
BusyRow = tuple[int, int, int, int, int, int, int, int]


class BusyRows(Sequence[BusySession]):
    """Active sessions as plain integer rows (`BusyRow`), the form the loader reads and the
    engine works in: a 60-day listing of a busy trainer loads thousands, and no datetime or
    object is made per row. Read as a sequence, it gives BusySession values, for callers
    that look at a few (explanations, insights)."""

    __slots__ = ("rows",)

    def __init__(self, rows: Sequence[BusyRow]) -> None:
        self.rows = rows

    @classmethod
    def of(cls, sessions: Iterable[BusySession]) -> BusyRows:
        """The rows of BusySession values; ValueError for a naive datetime."""
        if isinstance(sessions, BusyRows):
            return sessions
        try:
            return cls([_row(session) for session in sessions])
        except TypeError as error:  # subtracting an aware epoch from a naive datetime
            raise ValueError(f"The slot engine needs aware datetimes ({error}).") from None

    def __len__(self) -> int:
        return len(self.rows)

    @overload
    def __getitem__(self, index: int) -> BusySession: ...

    @overload
    def __getitem__(self, index: slice) -> list[BusySession]: ...

    def __getitem__(self, index: int | slice) -> BusySession | list[BusySession]:
        if isinstance(index, slice):
            return [_session(row) for row in self.rows[index]]
        return _session(self.rows[index])

    def __iter__(self) -> Iterator[BusySession]:
        return map(_session, self.rows)


def _row(session: BusySession) -> BusyRow:
    epoch, micro = _EPOCH, _MICROSECOND
    return (
        session.session_id,
        session.service_id,
        (session.start - epoch) // micro,
        (session.end - epoch) // micro,
        (session.blocked_start - epoch) // micro,
        (session.blocked_end - epoch) // micro,
        session.seats_taken,
        session.capacity,
    )


def _session(row: BusyRow) -> BusySession:
    session_id, service_id, start, end, blocked_start, blocked_end, seats, capacity = row
    return BusySession(
        session_id,
        service_id,
        _datetime(start),
        _datetime(end),
        _datetime(blocked_start),
        _datetime(blocked_end),
        seats,
        capacity,
    )


@dataclass(frozen=True, slots=True)
class DayLimit:
    """The trainer's limit on one local date across all services; None: no such limit."""

    bookings: int | None = None  # active bookings (a group session's seats each count)
    booked: timedelta | None = None  # sessions' own length (a group session counted once)


@dataclass(frozen=True, slots=True)
class Availability:
    tz: str  # the trainer's IANA zone
    weekly: tuple[WeeklyRule, ...] = ()
    overrides: Mapping[date, DayOverride] = field(default_factory=dict)
    time_off: tuple[Range, ...] = ()
    day_limit: DayLimit | None = None


# An offered slot as the judge writes it: (start, end, available, session_id), instants as
# whole microseconds since 1970.
OfferedRow = tuple[int, int, int, int | None]


class Slot(NamedTuple):
    """An offered start (immutable; a named tuple because a listing makes thousands, and a
    tuple is made several times faster than a frozen dataclass)."""

    start: datetime
    end: datetime
    available: int  # seats left; 1 for a free private slot
    session_id: int | None = None  # the existing group session this slot joins, if any


def compute_slots(
    service: ServiceRules,
    availability: Availability,
    busy: Sequence[BusySession],
    *,
    now: datetime,
    first_day: date,
    last_day: date,
) -> list[Slot]:
    """Every offered slot of `service` on the trainer's local dates first_day..last_day.

    A slot belongs to the local date of its start; slots come sorted by start, in UTC.
    """
    return as_slots(
        offered(service, availability, busy, now=now, first_day=first_day, last_day=last_day)
    )


def as_slots(rows: Iterable[OfferedRow]) -> list[Slot]:
    """Offered rows as Slot values (UTC datetimes)."""
    return [Slot(_datetime(start), _datetime(end), free, joins) for start, end, free, joins in rows]


def offered(
    service: ServiceRules,
    availability: Availability,
    busy: Sequence[BusySession],
    *,
    now: datetime,
    first_day: date,
    last_day: date,
) -> list[OfferedRow]:
    """compute_slots' slots as integer rows (start, end, available, session_id), instants
    in microseconds since 1970: what a listing of thousands formats without a datetime."""
    index = _Index(service, availability, now)
    # Neighbouring dates too: where clocks change at midnight, a window's candidate can
    # land on the next local date; the date filter below puts each where it belongs.
    candidates = _candidates(index, first_day - _ONE_DAY, last_day + _ONE_DAY)
    now_us = index.now
    starts = [
        start
        for start in sorted(candidates)
        if start >= now_us and first_day <= candidates[start] <= last_day
    ]
    if not starts:
        return []
    index.load(busy, availability.time_off, starts[0], starts[-1])
    days = [candidates[start] for start in starts]
    return [v for v in _judge_all(index, starts, days, True, False) if v.__class__ is tuple]


def check_candidate(
    service: ServiceRules,
    availability: Availability,
    busy: Sequence[BusySession],
    *,
    now: datetime,
    start: datetime,
    override_rules: bool = False,
    any_start: bool = False,
) -> Slot:
    """The slot at `start` if every rule allows it, else raise SlotRefused naming the rule.

    Must agree with compute_slots: a start is accepted (override_rules=False, any_start=
    False) exactly when compute_slots over its local date offers it. any_start (rule 5)
    also accepts a start inside the hours that is off the grid.
    """
    index = _Index(service, availability, now)
    start_us = _us(start, "start")
    local_day = start.astimezone(index.zone).date()
    placement = GRID if override_rules else _placement(index, start_us, local_day)
    on_grid = placement == GRID or (any_start and placement == INSIDE)
    index.load(busy, availability.time_off, start_us, start_us)
    verdict = _judge(index, start_us, local_day, on_grid, override_rules)
    if not isinstance(verdict, str):
        _, end_us, available, session_id = verdict
        return Slot(_datetime(start_us), _datetime(end_us), available, session_id)
    origin = None
    if verdict == RefusalCode.OUTSIDE_HOURS and placement == INSIDE:
        verdict, origin = RefusalCode.OFF_GRID, _grid_origin(index, start_us, local_day)
    detail = refusal_detail(verdict, service, grid_from=origin, day_limit=availability.day_limit)
    raise SlotRefused(verdict, detail)


def refusal_detail(
    code: str,
    service: ServiceRules,
    *,
    grid_from: time | None = None,
    day_limit: DayLimit | None = None,
) -> str:
    """A sentence for the person who asked, saying which rule refused the start.

    grid_from: for off_grid, the local start of the working window the start fell in, so
    the sentence names the grid ("Starts are every 60 minutes from 09:00"). day_limit: the
    trainer's limit, for day_limit."""
    if code == RefusalCode.DAY_LIMIT:
        return day_limit_detail(day_limit)
    if code == RefusalCode.TOO_SOON:
        return f"Bookings need at least {_span(service.min_notice, possessive=True)} notice."
    if code == RefusalCode.TOO_FAR:
        return f"Bookings can be made at most {_span(service.max_advance)} ahead."
    if code == RefusalCode.OFF_GRID:
        step = int((service.interval or service.duration).total_seconds() // 60)
        origin = f" from {grid_from:%H:%M}" if grid_from is not None else ""
        return f"Starts are every {step} minutes{origin}; pick one of the offered times."
    if code == RefusalCode.DAY_FULL:
        limit = service.max_per_day
        noun = "booking" if limit == 1 else "bookings"
        return f"This service is fully booked on that day (at most {limit} {noun} a day)."
    return _FIXED_DETAILS[code]


def day_limit_detail(limit: DayLimit | None) -> str:
    """'The trainer takes at most 6 bookings and 5 hours of sessions a day; that day is full.'"""
    parts = []
    if limit is not None and limit.bookings is not None:
        parts.append(f"{limit.bookings} booking{'' if limit.bookings == 1 else 's'}")
    if limit is not None and limit.booked is not None:
        parts.append(f"{_hours(limit.booked)} of sessions")
    most = " and ".join(parts) or "a limited number of bookings"
    return f"The trainer takes at most {most} a day; that day is full."


def _hours(length: timedelta) -> str:
    minutes = int(length.total_seconds() // 60)
    if minutes % 60 == 0:
        return f"{minutes // 60} hour{'' if minutes == 60 else 's'}"
    return f"{minutes // 60}h{minutes % 60:02d}"


_FIXED_DETAILS = {
    RefusalCode.IN_PAST: "This time is in the past.",
    RefusalCode.OUTSIDE_HOURS: "This time is outside the working hours for this service.",
    RefusalCode.TIME_OFF: "The trainer is away at this time.",
    RefusalCode.SESSION_FULL: "This session is full.",
    RefusalCode.SLOT_TAKEN: "This time is taken by another session.",
}


# --- instants as integers ---
# Inside the engine an instant is whole microseconds since the Unix epoch (`instants`);
# datetimes come back out only for offered slots.

_EPOCH, _MICROSECOND, _DAY_US = EPOCH, MICROSECOND, DAY_US
_EPOCH_ORDINAL = EPOCH.toordinal()
_ONE_DAY, _MIDNIGHT = ONE_DAY, MIDNIGHT
_us, _datetime = to_us, from_us


def _span_us(length: timedelta) -> int:
    return length // _MICROSECOND


# --- preparation: everything sorted once per call, so each candidate costs a few bisects ---


_BLOCKED_START, _BLOCKED_END = itemgetter(4), itemgetter(5)


def _rows_near(sessions: Iterable[BusySession], low: int, high: int) -> list[BusyRow]:
    """The rows of the BusySession values that can matter to starts whose blocked spans lie
    in [low, high) (what `_Index._load_sessions` keeps), the others dropped unconverted: a
    caller's list of thousands of past sessions costs a comparison each."""
    first, last = _datetime(low), _datetime(high)
    near_first, near_last = _datetime(low - 2 * _DAY_US), _datetime(high + 2 * _DAY_US)
    try:
        return [
            _row(session)
            for session in sessions
            if (session.blocked_end > first and session.blocked_start < last)
            or near_first < session.start < near_last
        ]
    except TypeError as error:  # comparing a naive datetime with an aware one
        raise ValueError(f"The slot engine needs aware datetimes ({error}).") from None


class _Index:
    """The inputs of one call, arranged for fast per-candidate questions (instants in us)."""

    __slots__ = (
        "after",
        "before",
        "busy",
        "busy_max_len",
        "busy_prefix_end",
        "busy_starts",
        "day_booked",
        "day_counts",
        "day_seats",
        "duration",
        "earliest",
        "joinable",
        "latest",
        "limit_booked",
        "limit_bookings",
        "now",
        "off_prefix_end",
        "off_starts",
        "overrides",
        "service",
        "step",
        "weekly",
        "zone",
    )

    def __init__(self, service: ServiceRules, availability: Availability, now: datetime) -> None:
        self.service = service
        self.duration = _span_us(service.duration)
        self.step = _span_us(service.interval or service.duration)
        if self.duration <= 0 or self.step <= 0:
            raise ValueError("A service needs a positive duration and slot interval.")
        self.before = _span_us(service.buffer_before)
        self.after = _span_us(service.buffer_after)
        self.now = _us(now, "now")
        self.earliest = self.now + _span_us(service.min_notice)
        self.latest = self.now + _span_us(service.max_advance)
        self.zone = ZoneInfo(availability.tz)
        self.overrides = availability.overrides
        limit = availability.day_limit or DayLimit()
        self.limit_bookings = limit.bookings
        self.limit_booked = None if limit.booked is None else _span_us(limit.booked)
        self.weekly: dict[int, list[tuple[time, time]]] = {}
        for rule in availability.weekly:
            if rule.service_id is None or rule.service_id == service.id:
                self.weekly.setdefault(rule.weekday, []).append((rule.start, rule.end))

    def load(
        self,
        busy: Sequence[BusySession],
        time_off: Sequence[Range],
        first_start: int,
        last_start: int,
    ) -> None:
        """Index the sessions and time off that can matter to starts in first..last_start.

        Only ranges meeting the candidates' blocked span can refuse one, so the rest are
        dropped before sorting; sessions of the service itself are kept two days either
        side, enough for the day count of any candidate's local date.
        """
        low = first_start - self.before
        high = last_start + self.duration + self.after
        offs = sorted(
            (start, end)
            for start, end in (
                (_us(r.start, "a time off's start"), _us(r.end, "a time off's end"))
                for r in time_off
            )
            if end > low and start < high
        )
        self.off_starts = [start for start, _ in offs]
        self.off_prefix_end = list(accumulate((end for _, end in offs), max))
        rows = busy.rows if isinstance(busy, BusyRows) else _rows_near(busy, low, high)
        self._load_sessions(rows, low, high)

    def _load_sessions(self, rows: Sequence[BusyRow], low: int, high: int) -> None:
        # Rows: (id, service, start, end, blocked_start, blocked_end, seats, capacity).
        ranges = sorted((r for r in rows if r[5] > low and r[4] < high), key=_BLOCKED_START)
        self.busy = ranges
        self.busy_starts = list(map(_BLOCKED_START, ranges))
        self.busy_prefix_end = list(accumulate(map(_BLOCKED_END, ranges), max))
        self.busy_max_len = max((r[5] - r[4] for r in ranges), default=0)

        service = self.service
        near_low, near_high = low - 2 * _DAY_US, high + 2 * _DAY_US
        own_id = service.id
        own = (
            [r for r in rows if r[1] == own_id and near_low < r[2] < near_high]
            if service.capacity > 1 or service.max_per_day is not None
            else []
        )
        # A group service joins an existing session of its own at the same start.
        self.joinable: dict[int, BusyRow] = {}
        if service.capacity > 1:
            for row in own:
                self.joinable.setdefault(row[2], row)
        self.day_counts: dict[date, int] = {}
        self.day_seats: dict[date, int] = {}
        self.day_booked: dict[date, int] = {}
        limited = self.limit_bookings is not None or self.limit_booked is not None
        if service.max_per_day is None and not limited:
            return
        days = LocalDays(self.zone, near_low, near_high)
        if service.max_per_day is not None:
            for row in own:
                day = days.of(row[2])
                self.day_counts[day] = self.day_counts.get(day, 0) + row[6]
        if not limited:
            return
        # The trainer's day limit: every service's sessions on each local date.
        for row in rows:
            if row[6] <= 0 or not near_low < row[2] < near_high:
                continue
            day = days.of(row[2])
            self.day_seats[day] = self.day_seats.get(day, 0) + row[6]
            self.day_booked[day] = self.day_booked.get(day, 0) + row[3] - row[2]


# --- rules 1 and 2: working windows and the candidate grid ---


def _windows(index: _Index, day: date) -> tuple[list[tuple[int, int]], bool]:
    """The working windows of a local date as instants (fold=0 for both ends), and
    whether the date's UTC offset is constant (then every instant in them is on `day`)."""
    override = index.overrides.get(day)
    walls: Sequence[tuple[time, time]]
    if override is not None:
        walls = () if override.closed else override.intervals
    else:
        walls = index.weekly.get(day.weekday(), ())
    if not walls:
        return [], True
    zone = index.zone
    # A ZoneInfo always knows its offset; `or` only tells the type checker so.
    offset = datetime.combine(day, _MIDNIGHT, tzinfo=zone).utcoffset() or timedelta(0)
    steady = offset == datetime.combine(day + _ONE_DAY, _MIDNIGHT, tzinfo=zone).utcoffset()
    windows = []
    for wall_start, wall_end in walls:
        if steady:
            # Same offset at both midnights: no clock change on this date (zones never
            # change twice within a day), so plain arithmetic gives the same instants.
            base = (day.toordinal() - _EPOCH_ORDINAL) * _DAY_US - offset // _MICROSECOND
            start, end = base + _wall_us(wall_start), base + _wall_us(wall_end)
        else:
            start, end = _instant(day, wall_start, zone), _instant(day, wall_end, zone)
        if start < end:
            windows.append((start, end))
    return windows, steady


def _wall_us(wall: time) -> int:
    seconds = wall.hour * 3600 + wall.minute * 60 + wall.second
    return seconds * 1_000_000 + wall.microsecond


def _instant(day: date, wall: time, zone: ZoneInfo) -> int:
    # fold=0: a wall time in a spring-forward gap is read with the offset before the gap,
    # which lands it later by the gap's length; an ambiguous one is its first occurrence.
    local = datetime.combine(day, wall.replace(tzinfo=None, fold=0), tzinfo=zone)
    return _us(local, "window")


def _candidates(index: _Index, first: date, last: date) -> dict[int, date]:
    """Grid starts of every window of first..last (each once: windows may overlap), mapped
    to their local date."""
    duration, step, zone = index.duration, index.step, index.zone
    found: dict[int, date] = {}
    day = first
    while day <= last:
        windows, steady = _windows(index, day)
        for window_start, window_end in windows:
            starts = range(window_start, window_end - duration + 1, step)
            if steady:
                found.update(dict.fromkeys(starts, day))
            else:
                for start in starts:
                    found[start] = _datetime(start).astimezone(zone).date()
        day += _ONE_DAY
    return found


GRID, INSIDE, OUTSIDE = "grid", "inside", "outside"


def _placement(index: _Index, start: int, local_day: date) -> str:
    """GRID when compute_slots would generate `start` from some window (same neighbours),
    INSIDE when it fits in a window off the grid, else OUTSIDE."""
    duration, step = index.duration, index.step
    found = OUTSIDE
    for day in (local_day - _ONE_DAY, local_day, local_day + _ONE_DAY):
        for window_start, window_end in _windows(index, day)[0]:
            if window_start <= start and start + duration <= window_end:
                if (start - window_start) % step == 0:
                    return GRID
                found = INSIDE
    return found


def _grid_origin(index: _Index, start: int, local_day: date) -> time | None:
    """The local wall time where the grid of the window holding `start` begins."""
    for day in (local_day, local_day - _ONE_DAY, local_day + _ONE_DAY):
        for window_start, window_end in _windows(index, day)[0]:
            if window_start <= start and start + index.duration <= window_end:
                return _datetime(window_start).astimezone(index.zone).time()
    return None


# --- rules 3 and 4: the one judge both public functions use ---


def _judge(
    index: _Index, start: int, local_day: date, on_grid: bool, override_rules: bool
) -> OfferedRow | str:
    """The offered slot's row at `start`, or the RefusalCode of the first rule that refuses
    it."""
    return _judge_all(index, (start,), (local_day,), on_grid, override_rules)[0]


def _judge_all(
    index: _Index,
    starts: Sequence[int],
    days: Sequence[date],
    on_grid: bool,
    override_rules: bool,
) -> list[OfferedRow | str]:
    """For each start (with its local date): the offered slot's row, or the RefusalCode of the
    first rule that refuses it. One loop with everything bound once, because a 60-day
    listing asks this of thousands of candidates (issue 20: about 1 us each).

    Order: in_past, outside_hours, too_soon, too_far, time_off, session_full, slot_taken,
    day_full, day_limit; override_rules skips outside_hours, too_soon, too_far, time_off,
    day_full and day_limit.
    """
    now, earliest, latest = index.now, index.earliest, index.latest
    duration, before, after = index.duration, index.before, index.after
    off_starts, off_prefix_end = index.off_starts, index.off_prefix_end
    busy_starts, busy_prefix_end = index.busy_starts, index.busy_prefix_end
    joinable, capacity = index.joinable, index.service.capacity
    per_day, day_counts = index.service.max_per_day, index.day_counts
    most, day_seats = index.limit_bookings, index.day_seats
    hours, day_booked = index.limit_booked, index.day_booked
    rules = not override_rules
    if rules and not on_grid:
        return [RefusalCode.IN_PAST if s < now else RefusalCode.OUTSIDE_HOURS for s in starts]
    verdicts: list[OfferedRow | str] = []
    add = verdicts.append
    for start, local_day in zip(starts, days, strict=True):
        if start < now:
            add(RefusalCode.IN_PAST)
            continue
        if rules:
            if start < earliest:
                add(RefusalCode.TOO_SOON)
                continue
            if start > latest:
                add(RefusalCode.TOO_FAR)
                continue
        blocked_start, blocked_end = start - before, start + duration + after
        if rules:
            # Time off starting before blocked_end is a prefix; one of it overlaps iff the
            # latest end within that prefix is after blocked_start.
            count = bisect_left(off_starts, blocked_end)
            if count and off_prefix_end[count - 1] > blocked_start:
                add(RefusalCode.TIME_OFF)
                continue
        joined = joinable.get(start) if joinable else None
        available = capacity  # a new session: all its seats (1 if private)
        if joined is not None:
            available = joined[7] - joined[6]
            if available <= 0:
                add(RefusalCode.SESSION_FULL)
                continue
        # Sessions starting before blocked_end are a prefix; one of them overlaps iff the
        # latest end within it is after blocked_start. Only a start joining a session asks
        # which one (the joined one is no clash).
        count = bisect_left(busy_starts, blocked_end)
        if (
            count
            and busy_prefix_end[count - 1] > blocked_start
            and (joined is None or _clashes(index, count, blocked_start, joined))
        ):
            add(RefusalCode.SLOT_TAKEN)
            continue
        if rules:
            if per_day is not None and day_counts.get(local_day, 0) >= per_day:
                add(RefusalCode.DAY_FULL)
                continue
            if most is not None and day_seats.get(local_day, 0) >= most:
                add(RefusalCode.DAY_LIMIT)
                continue
            # Joining a group session adds a booking, not hours.
            if (
                hours is not None
                and joined is None
                and day_booked.get(local_day, 0) + duration > hours
            ):
                add(RefusalCode.DAY_LIMIT)
                continue
        add((start, start + duration, available, None if joined is None else joined[0]))
    return verdicts


def _clashes(index: _Index, count: int, start: int, joined: BusyRow) -> bool:
    """Whether one of the first `count` sessions (by blocked start) other than the one being
    joined reaches past `start`. Only ranges starting after start - the longest range can
    reach it, so the walk back stays short."""
    reach = start - index.busy_max_len
    busy = index.busy
    for position in range(count - 1, -1, -1):
        row = busy[position]
        if row[4] < reach:
            break
        if row[5] > start and row is not joined:
            return True
    return False


def _span(length: timedelta, *, possessive: bool = False) -> str:
    """'2 hours', '1 day', '90 minutes' (with possessive: "2 hours'", "1 hour's")."""
    minutes = int(length.total_seconds() // 60)
    unit, count = "minute", minutes
    if minutes and minutes % 1440 == 0:
        unit, count = "day", minutes // 1440
    elif minutes and minutes % 60 == 0:
        unit, count = "hour", minutes // 60
    word = unit if count == 1 else f"{unit}s"
    if possessive:
        word += "'s" if count == 1 else "'"
    return f"{count} {word}"
