"""Why a time is not free: the slot engine's own verdict, with the facts behind it.

`explain` runs the candidate through `slots.check_candidate` (the one judge that lists and
accepts slots), so the answer can never disagree with what a client is offered. The
refusal's code and sentence come from the engine; this module adds what the trainer can
act on: the day's hours, the session whose time or buffer is in the way, the time off and
the trainer's own calendar that is busy (named by the app that reads those calendars, through
`calendar_names_register`: scheduling sits below it).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import datetime, timedelta
from typing import Any

from django.utils import timezone

from trainerhub.accounts.models import User
from trainerhub.core.timezones import zone
from trainerhub.scheduling import selectors, slots
from trainerhub.scheduling.models import Service
from trainerhub.scheduling.slots import RefusalCode, SlotRefused

# (trainer id, ExternalBusy.calendar_id values) -> {calendar_id: the calendar's name}
CalendarNames = Callable[[int, Iterable[int]], dict[int, str]]
_calendar_names: list[CalendarNames] = []


def calendar_names_register(names: CalendarNames) -> None:
    if names not in _calendar_names:
        _calendar_names.append(names)


def _hhmm(moment: datetime, tz: Any) -> str:
    return f"{moment.astimezone(tz):%H:%M}"


def explain(
    *, trainer: User, service: Service, start: datetime, now: datetime | None = None
) -> dict[str, Any]:
    """{free, code, reason, facts} for `service` at `start` as a client would book it: free
    with no code, or the first rule that refuses it (the engine's order) and the facts.
    Six queries (the engine's inputs), then one for a clashing session's service, or a few
    for the time off and calendar names in the way."""
    now = now or timezone.now()
    tz = zone(trainer.timezone)
    day = start.astimezone(tz).date()
    availability, busy = selectors.load_slot_inputs(trainer=trainer, first_day=day, last_day=day)
    rules = selectors.service_rules(service)
    answer: dict[str, Any] = {
        "service": service.pk,
        "start": start.astimezone(tz).isoformat(),
        "timezone": trainer.timezone,
    }
    try:
        slot = slots.check_candidate(rules, availability, busy, now=now, start=start)
    except SlotRefused as refused:
        facts = _facts(refused.code, trainer, service, rules, (availability, busy), start, now)
        return {
            **answer,
            "free": False,
            "code": refused.code,
            "reason": refused.detail,
            "facts": facts,
        }
    seats = f" ({slot.available} places left)" if service.capacity > 1 else ""
    return {
        **answer,
        "free": True,
        "code": None,
        "reason": f"{_hhmm(start, tz)} is free for {service.name}{seats}.",
        "facts": [],
    }


def _facts(
    code: str,
    trainer: User,
    service: Service,
    rules: slots.ServiceRules,
    inputs: tuple[slots.Availability, Sequence[slots.BusySession]],
    start: datetime,
    now: datetime,
) -> list[str]:
    availability, busy = inputs
    tz = zone(trainer.timezone)
    day = start.astimezone(tz).date()
    if code in (RefusalCode.OUTSIDE_HOURS, RefusalCode.OFF_GRID):
        override = availability.overrides.get(day)
        if override is not None and override.closed:
            return [f"You marked {day:%A %d %B} as closed."]
        if override is not None:
            walls = list(override.intervals)
            source = "changed hours"
        else:
            walls = [
                (r.start, r.end)
                for r in availability.weekly
                if r.weekday == day.weekday() and r.service_id in (None, service.pk)
            ]
            source = "weekly hours"
        if not walls:
            return [f"No {source} for {service.name} on {day:%A}s."]
        spans = ", ".join(f"{a:%H:%M}-{b:%H:%M}" for a, b in sorted(walls))
        minutes = service.duration_minutes
        return [
            f"Your {source} on {day:%A %d %B}: {spans}; a {minutes}-minute session must fit inside."
        ]
    end = start + rules.duration
    blocked_start, blocked_end = start - rules.buffer_before, end + rules.buffer_after
    if code == RefusalCode.TIME_OFF:
        return _away_facts(trainer, blocked_start, blocked_end, tz) or [
            f"Away {_span(r.start, r.end, tz)} (time off or a busy time in one of your calendars)."
            for r in availability.time_off
            if r.start < blocked_end and r.end > blocked_start
        ]
    if code == RefusalCode.SLOT_TAKEN:
        clashes = [
            s for s in busy if s.blocked_start < blocked_end and s.blocked_end > blocked_start
        ]
        names = dict(
            Service.objects.filter(
                trainer=trainer, pk__in={s.service_id for s in clashes}
            ).values_list("pk", "name")
        )
        facts = []
        for s in clashes:
            label = f"the {_hhmm(s.start, tz)} {names.get(s.service_id, 'session')}"
            if s.start < end and s.end > start:
                facts.append(f"It overlaps {label} ({_hhmm(s.start, tz)}-{_hhmm(s.end, tz)}).")
            elif s.end <= start:
                facts.append(
                    f"It starts inside the buffer of {label}, which blocks until "
                    f"{_hhmm(s.blocked_end, tz)}"
                    + (
                        f", or its own {_mins(rules.buffer_before)} before."
                        if rules.buffer_before
                        else "."
                    )
                )
            else:
                facts.append(
                    f"Its end{' and buffer' if rules.buffer_after else ''} runs into {label}"
                    f" (blocked from {_hhmm(s.blocked_start, tz)})."
                )
        return facts
    if code == RefusalCode.TOO_SOON:
        earliest = (now + rules.min_notice).astimezone(tz)
        return [f"Bookings open from {earliest:%a %d %b %H:%M} for this service."]
    if code == RefusalCode.DAY_FULL:
        return [f"{service.name} allows {service.max_per_day} a day, all taken on {day:%A %d %B}."]
    if code == RefusalCode.DAY_LIMIT:
        return _day_limit_facts(availability.day_limit, busy, rules, day, tz)
    return []


def _day_limit_facts(
    limit: slots.DayLimit | None,
    busy: Sequence[slots.BusySession],
    rules: slots.ServiceRules,
    day: Any,
    tz: Any,
) -> list[str]:
    """What the day already holds against the trainer's limit across all services."""
    if limit is None:
        return []
    held = [s for s in busy if s.seats_taken > 0 and s.start.astimezone(tz).date() == day]
    facts = []
    if limit.bookings is not None:
        seats = sum(s.seats_taken for s in held)
        facts.append(
            f"Your day limit is {limit.bookings} booking{'' if limit.bookings == 1 else 's'}"
            " across all services; "
            f"{day:%A %d %B} has {seats}."
        )
    if limit.booked is not None:
        booked = sum(((s.end - s.start) for s in held), timedelta(0))
        facts.append(
            f"Your day limit is {_clock(limit.booked)} of sessions across all services; "
            f"{day:%A %d %B} has {_clock(booked)} booked and this session adds "
            f"{_clock(rules.duration)}."
        )
    return facts


def _clock(span: timedelta) -> str:
    minutes = int(span.total_seconds() // 60)
    return f"{minutes // 60}h{minutes % 60:02d}"


def _mins(span: timedelta) -> str:
    return f"{int(span.total_seconds() // 60)}-minute buffer"


def _span(start: datetime, end: datetime, tz: Any) -> str:
    return f"{start.astimezone(tz):%a %d %b %H:%M} to {end.astimezone(tz):%a %d %b %H:%M}"


def _away_facts(trainer: User, start: datetime, end: datetime, tz: Any) -> list[str]:
    """What makes the trainer away in [start, end): each time off (with its reason) and each
    busy time of their own calendars, with the calendar's name, earliest first."""
    found: list[tuple[datetime, str]] = []
    for off in selectors.time_off_for_trainer(trainer=trainer, start=start, end=end):
        reason = f": {off.reason}" if off.reason else ""
        found.append((off.start, f"Away {_span(off.start, off.end, tz)} (time off{reason})."))
    busy = list(
        selectors.external_busy_for_trainer(trainer=trainer, start=start, end=end).values_list(
            "calendar_id", "start", "end"
        )
    )
    names: dict[int, str] = {}
    for lookup in _calendar_names:
        names.update(lookup(trainer.pk, {calendar for calendar, _, _ in busy}))
    for calendar, busy_start, busy_end in busy:
        name = names.get(calendar)
        where = f"your calendar “{name}”" if name else "one of your calendars"
        found.append((busy_start, f"Busy {_span(busy_start, busy_end, tz)} in {where}."))
    return [sentence for _, sentence in sorted(found, key=lambda pair: pair[0])]
