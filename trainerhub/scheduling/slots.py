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
   service on that local date; for a group service, a candidate starting exactly at an
   existing session of the same service is offered while seats remain (that session is not
   a clash for it).
4. Nothing in the past. `override_rules` (trainer by hand) lifts notice, horizon, working
   hours/grid, time off and the day limit, never overlaps, capacity or the past.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta


class RefusalCode:
    SLOT_TAKEN = "slot_taken"
    OUTSIDE_HOURS = "outside_hours"
    TOO_SOON = "too_soon"
    TOO_FAR = "too_far"
    DAY_FULL = "day_full"
    IN_PAST = "in_past"
    TIME_OFF = "time_off"
    SESSION_FULL = "session_full"


class SlotRefused(Exception):  # noqa: N818 - a refusal, not a programming error
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


@dataclass(frozen=True, slots=True)
class Availability:
    tz: str  # the trainer's IANA zone
    weekly: tuple[WeeklyRule, ...] = ()
    overrides: Mapping[date, DayOverride] = field(default_factory=dict)
    time_off: tuple[Range, ...] = ()


@dataclass(frozen=True, slots=True)
class Slot:
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
    """Every offered slot of `service` on the trainer's local dates first_day..last_day."""
    raise NotImplementedError


def check_candidate(
    service: ServiceRules,
    availability: Availability,
    busy: Sequence[BusySession],
    *,
    now: datetime,
    start: datetime,
    override_rules: bool = False,
) -> Slot:
    """The slot at `start` if every rule allows it, else raise SlotRefused naming the rule.

    Must agree with compute_slots: a start is accepted (override_rules=False) exactly when
    compute_slots over its local date offers it.
    """
    raise NotImplementedError
