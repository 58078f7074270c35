"""Properties of the slot engine over random trainers, services, bookings and clocks.

Zones include both daylight-saving directions, a half-hour shift (Lord Howe) and a
half-hour offset (Kolkata); the dates include clock-change weekends.
"""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from trainerhub.scheduling.slots import (
    Availability,
    BusySession,
    DayLimit,
    DayOverride,
    Range,
    RefusalCode,
    ServiceRules,
    Slot,
    SlotRefused,
    WeeklyRule,
    check_candidate,
    compute_slots,
)

ZONES = ["Europe/London", "America/New_York", "Australia/Lord_Howe", "Asia/Kolkata", "UTC"]
FIRST_DAYS = [
    date(2026, 3, 27),  # London springs forward on the 29th
    date(2026, 10, 23),  # London falls back on the 25th
    date(2026, 3, 6),  # New York springs forward on the 8th
    date(2026, 10, 30),  # New York falls back on 1 November
    date(2026, 4, 3),  # Lord Howe falls back half an hour on the 5th
    date(2026, 6, 1),
]
QUARTER = timedelta(minutes=15)
FIVE = timedelta(minutes=5)
SERVICE_ID = 1

PROPERTY_SETTINGS = settings(
    max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)


def minutes(values):
    return st.sampled_from([timedelta(minutes=m) for m in values])


services = st.builds(
    ServiceRules,
    id=st.just(SERVICE_ID),
    duration=minutes([15, 30, 45, 60, 90]),
    buffer_before=minutes([0, 0, 5, 15, 30]),
    buffer_after=minutes([0, 0, 10, 15, 30]),
    interval=st.one_of(st.none(), minutes([15, 20, 30, 60])),
    capacity=st.sampled_from([1, 3]),
    min_notice=minutes([0, 0, 60, 600]),
    max_advance=st.sampled_from([timedelta(days=d) for d in (1, 3, 30, 30)]),
    max_per_day=st.sampled_from([None, None, 1, 2, 4]),
)


@st.composite
def walls(draw) -> tuple[time, time]:
    start = draw(st.integers(0, 95)) * 15
    length = draw(st.integers(1, 48)) * 15
    end = min(start + length, 24 * 60 - 1)
    return time(start // 60, start % 60), time(end // 60, end % 60)


@st.composite
def scenarios(draw):
    tz = draw(st.sampled_from(ZONES))
    zone = ZoneInfo(tz)
    first_day = draw(st.sampled_from(FIRST_DAYS))
    last_day = first_day + timedelta(days=draw(st.integers(0, 3)))
    service = draw(services)
    weekly = tuple(
        WeeklyRule(draw(st.integers(0, 6)), *draw(walls()), draw(st.sampled_from([None, 1, 2])))
        for _ in range(draw(st.integers(0, 10)))
    )
    # Usually some hours on every weekday, so that most examples offer something.
    every_day = draw(st.lists(walls(), max_size=2))
    weekly += tuple(WeeklyRule(weekday, *wall) for wall in every_day for weekday in range(7))
    overrides = {}
    for offset in draw(st.sets(st.integers(-1, 4), max_size=2)):
        closed = draw(st.booleans())
        intervals = () if closed else tuple(draw(st.lists(walls(), min_size=1, max_size=2)))
        overrides[first_day + timedelta(days=offset)] = DayOverride(closed, intervals)
    origin = datetime.combine(first_day, time(0), tzinfo=zone).astimezone(UTC)

    def instant(max_quarters: int = 6 * 96) -> datetime:
        return origin + QUARTER * draw(st.integers(-96, max_quarters))

    time_off = []
    for _ in range(draw(st.integers(0, 3))):
        start = instant()
        time_off.append(Range(start, start + QUARTER * draw(st.integers(1, 200))))
    busy = []
    for number in range(draw(st.integers(0, 14))):
        service_id = draw(st.sampled_from([SERVICE_ID, 2, 3]))
        own = service_id == SERVICE_ID
        start = instant()
        duration = service.duration if own else QUARTER * draw(st.integers(1, 8))
        before = service.buffer_before if own else QUARTER * draw(st.integers(0, 2))
        after = service.buffer_after if own else QUARTER * draw(st.integers(0, 2))
        capacity = service.capacity if own else 1
        busy.append(
            BusySession(
                session_id=number + 1,
                service_id=service_id,
                start=start,
                end=start + duration,
                blocked_start=start - before,
                blocked_end=start + duration + after,
                seats_taken=draw(st.integers(1, capacity)),
                capacity=capacity,
            )
        )
    # Mostly before the dates asked, sometimes among them; sometimes with seconds.
    now = instant(4 * 96) if draw(st.booleans()) else origin - QUARTER * draw(st.integers(0, 96))
    now += timedelta(seconds=draw(st.sampled_from([0, 0, 1, 59])))
    # The trainer's day limit across services, now and then (issue 18 item 8).
    day_limit = draw(
        st.sampled_from(
            [
                None,
                None,
                DayLimit(bookings=2),
                DayLimit(booked=timedelta(hours=2)),
                DayLimit(bookings=3, booked=timedelta(minutes=150)),
            ]
        )
    )
    availability = Availability(
        tz=tz, weekly=weekly, overrides=overrides, time_off=tuple(time_off), day_limit=day_limit
    )
    # Sessions of the service itself on its own grid, so that group slots get joined.
    grid = offered(service, availability, [], now, first_day, last_day)
    for slot in (
        draw(st.lists(st.sampled_from(grid), min_size=1, max_size=4, unique=True)) if grid else ()
    ):
        busy.append(
            BusySession(
                session_id=len(busy) + 1,
                service_id=SERVICE_ID,
                start=slot.start,
                end=slot.end,
                blocked_start=slot.start - service.buffer_before,
                blocked_end=slot.end + service.buffer_after,
                seats_taken=draw(st.integers(1, service.capacity)),
                capacity=service.capacity,
            )
        )
    return service, availability, busy, now, first_day, last_day


def offered(service, availability, busy, now, first_day, last_day) -> list[Slot]:
    return compute_slots(
        service, availability, busy, now=now, first_day=first_day, last_day=last_day
    )


def verdict(service, availability, busy, now, start) -> Slot | str:
    try:
        return check_candidate(service, availability, busy, now=now, start=start)
    except SlotRefused as refusal:
        return refusal.code


def overlaps(start_a, end_a, start_b, end_b) -> bool:
    return start_a < end_b and start_b < end_a


@PROPERTY_SETTINGS
@given(scenarios())
def test_every_offered_slot_is_accepted(scenario):
    service, availability, busy, now, *_ = scenario

    for slot in offered(*scenario):
        assert verdict(service, availability, busy, now, slot.start) == slot


# Exhaustive over every five minutes of the dates, so fewer examples.
@settings(PROPERTY_SETTINGS, max_examples=40)
@given(scenarios())
def test_a_start_is_accepted_exactly_when_its_local_date_offers_it(scenario):
    service, availability, busy, now, first_day, last_day = scenario
    zone = ZoneInfo(availability.tz)
    listed = {slot.start for slot in offered(*scenario)}
    start = datetime.combine(first_day, time(0), tzinfo=UTC) - timedelta(hours=15)
    stop = datetime.combine(last_day, time(0), tzinfo=UTC) + timedelta(hours=39)

    while start < stop:
        if first_day <= start.astimezone(zone).date() <= last_day:
            answer = verdict(service, availability, busy, now, start)
            assert isinstance(answer, Slot) == (start in listed), (start, answer)
        start += FIVE


@PROPERTY_SETTINGS
@given(scenarios())
def test_no_offered_slot_clashes_with_a_session_or_time_off(scenario):
    service, availability, busy, now, *_ = scenario

    for slot in offered(*scenario):
        blocked = (slot.start - service.buffer_before, slot.end + service.buffer_after)
        assert slot.start >= now + service.min_notice
        assert slot.start <= now + service.max_advance
        assert slot.end - slot.start == service.duration
        assert 1 <= slot.available <= service.capacity
        for session in busy:
            if session.session_id == slot.session_id:
                assert session.start == slot.start
                assert session.service_id == SERVICE_ID
                assert slot.available == session.capacity - session.seats_taken
                continue
            assert not overlaps(*blocked, session.blocked_start, session.blocked_end)
        for off in availability.time_off:
            assert not overlaps(*blocked, off.start, off.end)


def book(service: ServiceRules, busy: list[BusySession], slot: Slot) -> list[BusySession]:
    """The busy list after one more booking at `slot` (joining its session if it has one)."""
    if slot.session_id is not None:
        return [
            dataclasses.replace(s, seats_taken=s.seats_taken + 1)
            if s.session_id == slot.session_id
            else s
            for s in busy
        ]
    return [
        *busy,
        BusySession(
            session_id=10_000,
            service_id=SERVICE_ID,
            start=slot.start,
            end=slot.end,
            blocked_start=slot.start - service.buffer_before,
            blocked_end=slot.end + service.buffer_after,
            seats_taken=1,
            capacity=service.capacity,
        ),
    ]


@PROPERTY_SETTINGS
@given(scenarios(), st.data())
def test_booking_an_offered_slot_takes_it_and_cancelling_restores_it(scenario, data):
    service, availability, busy, now, first_day, last_day = scenario
    before = offered(*scenario)
    if not before:
        return
    slot = data.draw(st.sampled_from(before))

    booked = book(service, busy, slot)
    after = offered(service, availability, booked, now, first_day, last_day)

    seats_left = slot.available - 1
    same_start = [s for s in after if s.start == slot.start]
    answer = verdict(service, availability, booked, now, slot.start)
    if seats_left and same_start:
        assert [s.available for s in same_start] == [seats_left]
        assert answer == same_start[0]
    elif seats_left:  # a group slot with seats left goes only when the day is full
        assert answer in (RefusalCode.DAY_FULL, RefusalCode.DAY_LIMIT)
    else:
        assert same_start == []
        # The last seat of a group session it joined: that session is full; else (a private
        # slot) the time is taken.
        full = RefusalCode.SESSION_FULL if slot.session_id is not None else RefusalCode.SLOT_TAKEN
        assert answer == full
    # Another booking never opens a slot nor frees a seat elsewhere.
    seats = {s.start: s.available for s in before}
    assert all(s.start in seats and s.available <= seats[s.start] for s in after)
    # Cancelling it restores exactly what was offered.
    restored = cancel(booked, slot)
    assert offered(service, availability, restored, now, first_day, last_day) == before


def cancel(busy: list[BusySession], slot: Slot) -> list[BusySession]:
    """The busy list without the booking `book` added for `slot`."""
    if slot.session_id is not None:
        return [
            dataclasses.replace(s, seats_taken=s.seats_taken - 1)
            if s.session_id == slot.session_id
            else s
            for s in busy
        ]
    return [s for s in busy if s.session_id != 10_000]


def _override_refusal(
    service: ServiceRules, busy: list[BusySession], now: datetime, start: datetime
) -> str:
    """The one refusal a start may get when the trainer overrides the rules: the past first,
    then a full session of its own group at that start, else a clash."""
    if start < now:
        return RefusalCode.IN_PAST
    own = [s for s in busy if s.service_id == service.id and s.start == start]
    if service.capacity > 1 and own and own[0].seats_taken >= own[0].capacity:
        return RefusalCode.SESSION_FULL
    return RefusalCode.SLOT_TAKEN


@PROPERTY_SETTINGS
@given(scenarios(), st.integers(-96, 6 * 96), st.sampled_from([0, 0, 7]))
def test_override_rules_never_accepts_a_clash_or_the_past(scenario, quarters, minutes_off):
    service, availability, busy, now, first_day, _ = scenario
    origin = datetime.combine(first_day, time(0), tzinfo=UTC)
    start = origin + QUARTER * quarters + timedelta(minutes=minutes_off)

    try:
        slot = check_candidate(
            service, availability, busy, now=now, start=start, override_rules=True
        )
    except SlotRefused as refusal:
        assert refusal.code == _override_refusal(service, busy, now, start)
        return
    assert slot.start == start >= now
    blocked = (start - service.buffer_before, slot.end + service.buffer_after)
    for session in busy:
        if session.session_id != slot.session_id:
            assert not overlaps(*blocked, session.blocked_start, session.blocked_end)
    # Whatever the rules would say, an offered slot is accepted the same with override.
    if not isinstance(verdict(service, availability, busy, now, start), str):
        assert verdict(service, availability, busy, now, start) == slot


@PROPERTY_SETTINGS
@given(scenarios(), st.data())
def test_no_offered_slot_takes_a_day_past_the_trainers_limit(scenario, data):
    service, availability, busy, now, first_day, last_day = scenario
    limit = availability.day_limit
    zone = ZoneInfo(availability.tz)

    for slot in offered(*scenario):
        day = slot.start.astimezone(zone).date()
        held = [s for s in busy if s.seats_taken and s.start.astimezone(zone).date() == day]
        if limit is not None and limit.bookings is not None:
            assert sum(s.seats_taken for s in held) + 1 <= limit.bookings
        if limit is not None and limit.booked is not None and slot.session_id is None:
            booked = sum((s.end - s.start for s in held), timedelta(0))
            assert booked + service.duration <= limit.booked
    # And booking offered slots one after another never goes past it: the engine stops
    # offering the day in time.
    for _ in range(3):
        found = offered(service, availability, busy, now, first_day, last_day)
        if not found:
            break
        busy = book(service, busy, data.draw(st.sampled_from(found)))
        for bumped in range(len(busy)):  # `book` reuses one id; keep them distinct
            if busy[bumped].session_id == 10_000:
                busy[bumped] = dataclasses.replace(busy[bumped], session_id=20_000 + _)
    if limit is not None and limit.bookings is not None:
        per_day: dict = {}
        for s in busy:
            day = s.start.astimezone(zone).date()
            per_day[day] = per_day.get(day, 0) + s.seats_taken
        original = {}
        for s in scenario[2]:
            day = s.start.astimezone(zone).date()
            original[day] = original.get(day, 0) + s.seats_taken
        for day, seats in per_day.items():
            assert seats <= max(limit.bookings, original.get(day, 0))
