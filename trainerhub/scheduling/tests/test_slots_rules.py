"""The slot engine, one rule at a time (plain values, no database).

The trainer works in London; 2026-06-01 is a Monday in British Summer Time (UTC+1).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from trainerhub.scheduling.slots import (
    Availability,
    BusySession,
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

LONDON = ZoneInfo("Europe/London")
NEW_YORK = ZoneInfo("America/New_York")
MONDAY = date(2026, 6, 1)
NOW = datetime(2026, 5, 25, 8, 0, tzinfo=UTC)


def service(**fields) -> ServiceRules:
    values = {
        "id": 1,
        "duration": timedelta(minutes=60),
        "min_notice": timedelta(0),
        "max_advance": timedelta(days=365),
    }
    return ServiceRules(**(values | fields))


def hours(*intervals: tuple[str, str], weekday: int = 0, service_id=None) -> list[WeeklyRule]:
    return [
        WeeklyRule(weekday, time.fromisoformat(start), time.fromisoformat(end), service_id)
        for start, end in intervals
    ]


def availability(weekly=(), *, tz: str = "Europe/London", overrides=None, time_off=()):
    return Availability(
        tz=tz, weekly=tuple(weekly), overrides=overrides or {}, time_off=tuple(time_off)
    )


def local(day: date, hhmm: str, zone: ZoneInfo = LONDON) -> datetime:
    return datetime.combine(day, time.fromisoformat(hhmm), tzinfo=zone)


def session(
    rules: ServiceRules,
    start: datetime,
    *,
    session_id: int = 100,
    seats: int = 1,
    capacity: int | None = None,
) -> BusySession:
    end = start + rules.duration
    return BusySession(
        session_id=session_id,
        service_id=rules.id,
        start=start,
        end=end,
        blocked_start=start - rules.buffer_before,
        blocked_end=end + rules.buffer_after,
        seats_taken=seats,
        capacity=rules.capacity if capacity is None else capacity,
    )


def slots(rules, avail, busy=(), *, now=NOW, first=MONDAY, last=None) -> list[Slot]:
    return compute_slots(rules, avail, list(busy), now=now, first_day=first, last_day=last or first)


def walls(found: list[Slot], zone: ZoneInfo = LONDON) -> list[str]:
    return [f"{s.start.astimezone(zone):%H:%M}" for s in found]


def refused(rules, avail, start, busy=(), *, now=NOW, override=False) -> SlotRefused:
    with pytest.raises(SlotRefused) as caught:
        check_candidate(rules, avail, list(busy), now=now, start=start, override_rules=override)
    return caught.value


def accepted(rules, avail, start, busy=(), *, now=NOW, override=False) -> Slot:
    return check_candidate(rules, avail, list(busy), now=now, start=start, override_rules=override)


# --- rule 1 and 2: windows and the grid ---


def test_a_window_gives_starts_every_duration_while_the_session_fits():
    found = slots(service(), availability(hours(("09:00", "12:00"))))

    assert walls(found) == ["09:00", "10:00", "11:00"]
    assert found[0] == Slot(
        start=datetime(2026, 6, 1, 8, 0, tzinfo=UTC),
        end=datetime(2026, 6, 1, 9, 0, tzinfo=UTC),
        available=1,
        session_id=None,
    )


def test_only_the_weekday_of_the_rule_has_hours():
    avail = availability(hours(("09:00", "12:00"), weekday=1))

    assert slots(service(), avail) == []
    assert walls(slots(service(), avail, first=MONDAY + timedelta(days=1))) == [
        "09:00",
        "10:00",
        "11:00",
    ]


def test_a_window_shorter_than_the_duration_gives_nothing():
    assert slots(service(), availability(hours(("09:00", "09:59")))) == []
    assert walls(slots(service(), availability(hours(("09:00", "10:00"))))) == ["09:00"]
    assert refused(
        service(), availability(hours(("09:00", "09:59"))), local(MONDAY, "09:00")
    ).code == (RefusalCode.OUTSIDE_HOURS)


def test_overlapping_weekly_intervals_offer_each_start_once():
    avail = availability(hours(("09:00", "12:00"), ("10:00", "13:00"), ("09:30", "11:30")))

    assert walls(slots(service(), avail)) == [
        "09:00",
        "09:30",
        "10:00",
        "10:30",
        "11:00",
        "12:00",
    ]


def test_a_rule_limited_to_another_service_does_not_apply():
    avail = availability(
        hours(("09:00", "11:00"), service_id=1) + hours(("14:00", "16:00"), service_id=2)
    )

    assert walls(slots(service(id=1), avail)) == ["09:00", "10:00"]
    assert walls(slots(service(id=2), avail)) == ["14:00", "15:00"]
    assert refused(service(id=2), avail, local(MONDAY, "09:00")).code == (RefusalCode.OUTSIDE_HOURS)


def test_slot_interval_shorter_than_the_duration():
    rules = service(interval=timedelta(minutes=15))

    assert walls(slots(rules, availability(hours(("09:00", "11:00"))))) == [
        "09:00",
        "09:15",
        "09:30",
        "09:45",
        "10:00",
    ]


def test_slot_interval_longer_than_the_duration():
    rules = service(duration=timedelta(minutes=30), interval=timedelta(minutes=90))
    avail = availability(hours(("09:00", "12:00")))

    assert walls(slots(rules, avail)) == ["09:00", "10:30"]
    assert refused(rules, avail, local(MONDAY, "09:30")).code == RefusalCode.OFF_GRID


def test_a_start_overrunning_or_outside_the_window_is_outside_hours():
    avail = availability(hours(("09:00", "12:00")))

    for wall in ("11:30", "12:00", "08:00", "08:30"):
        refusal = refused(service(), avail, local(MONDAY, wall))
        assert refusal.code == RefusalCode.OUTSIDE_HOURS
        assert refusal.detail == "This time is outside the working hours for this service."


def test_a_start_inside_the_hours_but_off_the_grid_says_so():
    # It used to say "outside the working hours" for 09:10 in hours of 09:00-12:00.
    avail = availability(hours(("09:00", "12:00")))
    refusal = refused(service(), avail, local(MONDAY, "09:10"))
    assert refusal.code == RefusalCode.OFF_GRID
    assert (
        refusal.detail == "Starts are every 60 minutes from 09:00; pick one of the offered times."
    )
    half_hourly = service(interval=timedelta(minutes=30))
    assert refused(half_hourly, avail, local(MONDAY, "09:10")).detail == (
        "Starts are every 30 minutes from 09:00; pick one of the offered times."
    )


def test_the_off_grid_refusal_names_the_grid_of_the_window_it_fell_in():
    avail = availability(hours(("09:00", "12:00"), ("13:30", "18:00")))
    refusal = refused(service(), avail, local(MONDAY, "14:00"))
    assert refusal.code == RefusalCode.OFF_GRID
    assert (
        refusal.detail == "Starts are every 60 minutes from 13:30; pick one of the offered times."
    )


def test_any_start_inside_the_hours_is_accepted_by_hand_but_not_outside():
    avail = availability(hours(("09:00", "12:00")))
    slot = check_candidate(
        service(),
        avail,
        [],
        now=local(MONDAY, "00:00"),
        start=local(MONDAY, "09:10"),
        any_start=True,
    )
    assert (slot.start, slot.end) == (local(MONDAY, "09:10"), local(MONDAY, "10:10"))
    for wall in ("11:30", "08:00"):  # overruns the hours / before them: still refused
        with pytest.raises(SlotRefused) as caught:
            check_candidate(
                service(),
                avail,
                [],
                now=local(MONDAY, "00:00"),
                start=local(MONDAY, wall),
                any_start=True,
            )
        assert caught.value.code == RefusalCode.OUTSIDE_HOURS


# --- overrides ---


def test_an_override_replaces_the_weekday_hours_of_its_date_only():
    avail = availability(
        hours(("09:00", "12:00")),
        overrides={MONDAY: DayOverride(closed=False, intervals=((time(14), time(16)),))},
    )

    assert walls(slots(service(), avail)) == ["14:00", "15:00"]
    assert walls(slots(service(), avail, first=MONDAY + timedelta(days=7))) == [
        "09:00",
        "10:00",
        "11:00",
    ]
    assert refused(service(), avail, local(MONDAY, "09:00")).code == RefusalCode.OUTSIDE_HOURS


def test_an_override_can_open_a_day_without_weekly_hours():
    sunday = MONDAY - timedelta(days=1)
    avail = availability(
        hours(("09:00", "12:00")),
        overrides={sunday: DayOverride(closed=False, intervals=((time(10), time(11)),))},
    )

    assert walls(slots(service(), avail, first=sunday)) == ["10:00"]


def test_a_closed_override_offers_nothing():
    avail = availability(hours(("09:00", "12:00")), overrides={MONDAY: DayOverride(closed=True)})

    assert slots(service(), avail) == []
    assert refused(service(), avail, local(MONDAY, "09:00")).code == RefusalCode.OUTSIDE_HOURS


# --- time off ---


def test_time_off_across_midnight_blocks_both_dates():
    tuesday = MONDAY + timedelta(days=1)
    avail = availability(
        hours(("20:00", "23:00"), weekday=0) + hours(("00:00", "03:00"), weekday=1),
        time_off=[Range(local(MONDAY, "22:00"), local(tuesday, "01:00"))],
    )

    assert walls(slots(service(), avail)) == ["20:00", "21:00"]
    assert walls(slots(service(), avail, first=tuesday)) == ["01:00", "02:00"]
    refusal = refused(service(), avail, local(tuesday, "00:00"))
    assert refusal.code == RefusalCode.TIME_OFF
    assert refusal.detail == "The trainer is away at this time."


def test_buffers_count_against_time_off():
    avail = availability(
        hours(("09:00", "12:00")),
        time_off=[Range(local(MONDAY, "10:00"), local(MONDAY, "10:30"))],
    )
    rules = service(buffer_after=timedelta(minutes=15))

    # 09:00 would block until 10:15; 11:00 starts after the time off ends.
    assert walls(slots(rules, avail)) == ["11:00"]


# --- buffers between services ---


def test_a_sessions_buffer_after_and_a_candidates_buffer_before_both_count():
    service_a = service(id=1, buffer_after=timedelta(minutes=30))
    service_b = service(id=2, buffer_before=timedelta(minutes=15), interval=timedelta(minutes=15))
    avail = availability(hours(("09:00", "13:00")))
    busy = [session(service_a, local(MONDAY, "09:00"))]  # blocks 09:00-10:30

    # B at 10:30 would block from 10:15; the first start whose buffer clears A is 10:45.
    assert walls(slots(service_b, avail, busy))[0] == "10:45"
    assert refused(service_b, avail, local(MONDAY, "10:30"), busy).code == (RefusalCode.SLOT_TAKEN)
    # Without B's buffer, 10:30 is free.
    plain_b = service(id=2, interval=timedelta(minutes=15))
    assert walls(slots(plain_b, avail, busy))[0] == "10:30"


def test_an_existing_sessions_buffer_before_blocks_a_candidates_end():
    service_a = service(id=1, buffer_after=timedelta(minutes=30), interval=timedelta(minutes=15))
    service_b = service(id=2, buffer_before=timedelta(minutes=15))
    avail = availability(hours(("09:00", "13:00")))
    busy = [session(service_b, local(MONDAY, "12:00"))]  # blocks 11:45-13:00

    offered = walls(slots(service_a, avail, busy))
    # A at 10:30 would block until 12:00, into B's buffer; 10:15 blocks until 11:45.
    assert "10:15" in offered
    assert "10:30" not in offered
    assert refused(service_a, avail, local(MONDAY, "10:30"), busy).code == (RefusalCode.SLOT_TAKEN)


def test_a_taken_slot_says_so():
    avail = availability(hours(("09:00", "12:00")))
    busy = [session(service(id=2), local(MONDAY, "10:00"))]

    assert walls(slots(service(), avail, busy)) == ["09:00", "11:00"]
    refusal = refused(service(), avail, local(MONDAY, "10:00"), busy)
    assert refusal.code == RefusalCode.SLOT_TAKEN
    assert refusal.detail == "This time is taken by another session."


def test_ranges_that_only_touch_do_not_clash():
    rules = service(buffer_before=timedelta(minutes=10), buffer_after=timedelta(minutes=10))
    avail = availability(hours(("09:00", "13:00")))
    busy = [session(service(id=2), local(MONDAY, "11:10"))]  # blocks 11:10-12:10

    # 10:00 blocks 09:50-11:10: ends exactly where the other begins.
    assert accepted(rules, avail, local(MONDAY, "10:00"), busy).start == local(MONDAY, "10:00")


# --- group sessions ---


def test_a_group_session_is_offered_with_the_seats_left():
    group = service(capacity=3, interval=timedelta(minutes=30))
    avail = availability(hours(("09:00", "12:00")))
    busy = [session(group, local(MONDAY, "10:00"), session_id=7, seats=1)]

    found = {f"{s.start.astimezone(LONDON):%H:%M}": s for s in slots(group, avail, busy)}

    assert sorted(found) == ["09:00", "10:00", "11:00"]  # 09:30 and 10:30 overlap it
    assert found["10:00"].available == 2
    assert found["10:00"].session_id == 7
    assert found["09:00"].available == 3  # a new session: every seat
    assert found["09:00"].session_id is None


@pytest.mark.parametrize(("seats", "available"), [(1, 3), (2, 2), (3, 1)])
def test_group_seats_count_down(seats, available):
    group = service(capacity=4)
    avail = availability(hours(("09:00", "12:00")))
    busy = [session(group, local(MONDAY, "10:00"), session_id=7, seats=seats)]

    slot = accepted(group, avail, local(MONDAY, "10:00"), busy)
    assert (slot.available, slot.session_id) == (available, 7)
    assert [s.available for s in slots(group, avail, busy)] == [4, available, 4]


def test_joining_ignores_only_the_session_joined():
    group = service(capacity=3, buffer_after=timedelta(minutes=30))
    avail = availability(hours(("09:00", "12:00")))
    joined = session(group, local(MONDAY, "10:00"), session_id=7, seats=2)
    other = session(service(id=2), local(MONDAY, "11:15"), session_id=8)  # blocks 11:15-

    # 10:00 blocks until 11:30 with its buffer: the other session still clashes.
    assert refused(group, avail, local(MONDAY, "10:00"), [joined, other]).code == (
        RefusalCode.SLOT_TAKEN
    )
    assert accepted(group, avail, local(MONDAY, "10:00"), [joined]).available == 1


def test_a_full_group_session_is_refused_and_not_offered():
    group = service(capacity=3)
    avail = availability(hours(("09:00", "12:00")))
    busy = [session(group, local(MONDAY, "10:00"), seats=3)]

    assert walls(slots(group, avail, busy)) == ["09:00", "11:00"]
    refusal = refused(group, avail, local(MONDAY, "10:00"), busy)
    assert refusal.code == RefusalCode.SESSION_FULL
    assert refusal.detail == "This session is full."
    # Capacity binds even a trainer booking by hand.
    assert refused(group, avail, local(MONDAY, "10:00"), busy, override=True).code == (
        RefusalCode.SESSION_FULL
    )


def test_the_seats_are_the_sessions_own_capacity():
    group = service(capacity=5)
    avail = availability(hours(("09:00", "12:00")))
    busy = [session(group, local(MONDAY, "10:00"), seats=2, capacity=3)]

    assert accepted(group, avail, local(MONDAY, "10:00"), busy).available == 1


def test_a_private_service_never_joins_a_session():
    private = service()
    avail = availability(hours(("09:00", "12:00")))
    busy = [session(private, local(MONDAY, "10:00"))]

    assert refused(private, avail, local(MONDAY, "10:00"), busy).code == RefusalCode.SLOT_TAKEN


def test_a_group_session_of_another_service_is_a_clash():
    group = service(id=1, capacity=4)
    avail = availability(hours(("09:00", "12:00")))
    busy = [session(service(id=2, capacity=4), local(MONDAY, "10:00"), seats=1)]

    assert refused(group, avail, local(MONDAY, "10:00"), busy).code == RefusalCode.SLOT_TAKEN


# --- max per day ---


def test_max_per_day_counts_bookings_on_the_local_date():
    # 21:00 in New York on Monday is 01:00 UTC on Tuesday: it counts for Monday.
    monday_rules = hours(("09:00", "12:00"), weekday=0) + hours(("09:00", "12:00"), weekday=1)
    avail = availability(monday_rules, tz="America/New_York")
    rules = service(max_per_day=1)
    busy = [session(rules, local(MONDAY, "21:00", NEW_YORK))]

    assert slots(rules, avail, busy) == []
    refusal = refused(rules, avail, local(MONDAY, "09:00", NEW_YORK), busy)
    assert refusal.code == RefusalCode.DAY_FULL
    assert refusal.detail == "This service is fully booked on that day (at most 1 booking a day)."
    tuesday = MONDAY + timedelta(days=1)
    assert walls(slots(rules, avail, busy, first=tuesday), NEW_YORK) == [
        "09:00",
        "10:00",
        "11:00",
    ]


def test_max_per_day_counts_seats_of_this_service_only():
    group = service(capacity=4, max_per_day=3)
    avail = availability(hours(("09:00", "18:00")))
    others = [session(service(id=2), local(MONDAY, "15:00"), session_id=1)]
    two_seats = [session(group, local(MONDAY, "10:00"), session_id=2, seats=2)]

    # The other service's session takes 15:00 but does not count; 10:00 joins (2 seats).
    found = slots(group, avail, others + two_seats)
    assert walls(found) == ["09:00", "10:00", "11:00", "12:00", "13:00", "14:00", "16:00", "17:00"]
    three = [session(group, local(MONDAY, "10:00"), session_id=2, seats=3)]
    refusal = refused(group, avail, local(MONDAY, "12:00"), others + three)
    assert refusal.code == RefusalCode.DAY_FULL
    assert "at most 3 bookings a day" in refusal.detail


# --- notice and horizon ---


def test_min_notice_edge():
    rules = service(min_notice=timedelta(hours=2), interval=timedelta(minutes=15))
    avail = availability(hours(("09:00", "12:00")))
    now = local(MONDAY, "08:00")

    assert walls(slots(rules, avail, now=now))[0] == "10:00"
    assert accepted(rules, avail, local(MONDAY, "10:00"), now=now)
    refusal = refused(rules, avail, local(MONDAY, "09:45"), now=now)
    assert refusal.code == RefusalCode.TOO_SOON
    assert refusal.detail == "Bookings need at least 2 hours' notice."


@pytest.mark.parametrize(
    ("notice", "sentence"),
    [
        (timedelta(minutes=1), "Bookings need at least 1 minute's notice."),
        (timedelta(minutes=90), "Bookings need at least 90 minutes' notice."),
        (timedelta(hours=1), "Bookings need at least 1 hour's notice."),
        (timedelta(days=2), "Bookings need at least 2 days' notice."),
    ],
)
def test_notice_sentences(notice, sentence):
    avail = availability(hours(("09:00", "12:00")))
    half_a_minute_before = local(MONDAY, "09:00") - timedelta(seconds=30)

    refusal = refused(
        service(min_notice=notice), avail, local(MONDAY, "09:00"), now=half_a_minute_before
    )
    assert refusal.code == RefusalCode.TOO_SOON
    assert refusal.detail == sentence


def test_max_advance_edge():
    rules = service(max_advance=timedelta(days=7))
    avail = availability(hours(("09:00", "12:00")))
    now = local(MONDAY, "10:00") - timedelta(days=7)

    assert walls(slots(rules, avail, now=now)) == ["09:00", "10:00"]
    assert accepted(rules, avail, local(MONDAY, "10:00"), now=now)
    refusal = refused(rules, avail, local(MONDAY, "11:00"), now=now)
    assert refusal.code == RefusalCode.TOO_FAR
    assert refusal.detail == "Bookings can be made at most 7 days ahead."


def test_nothing_is_offered_or_accepted_in_the_past():
    avail = availability(hours(("09:00", "12:00")))
    now = local(MONDAY, "10:00")

    assert walls(slots(service(), avail, now=now)) == ["10:00", "11:00"]
    assert accepted(service(), avail, now, now=now).start == now
    refusal = refused(service(), avail, local(MONDAY, "09:00"), now=now, override=True)
    assert refusal.code == RefusalCode.IN_PAST
    assert refusal.detail == "This time is in the past."


# --- override_rules and precedence ---


def test_override_rules_lifts_hours_notice_horizon_time_off_and_day_limit():
    rules = service(min_notice=timedelta(days=1), max_advance=timedelta(days=2), max_per_day=1)
    avail = availability(
        hours(("09:00", "12:00")),
        time_off=[Range(local(MONDAY, "06:00"), local(MONDAY, "08:00"))],
    )
    busy = [session(rules, local(MONDAY, "10:00"))]
    now = local(MONDAY, "05:00")

    # 07:17 is outside hours, within a day's notice, in time off, over the day limit.
    odd = local(MONDAY, "07:17")
    assert refused(rules, avail, odd, busy, now=now).code == RefusalCode.OUTSIDE_HOURS
    slot = accepted(rules, avail, odd, busy, now=now, override=True)
    assert (slot.start, slot.end, slot.available) == (odd, odd + rules.duration, 1)
    far = local(MONDAY + timedelta(days=30), "23:00")
    assert accepted(rules, avail, far, busy, now=now, override=True).start == far


def test_override_rules_keeps_overlaps():
    avail = availability(hours(("09:00", "12:00")))
    busy = [session(service(id=2), local(MONDAY, "10:00"))]

    assert refused(service(), avail, local(MONDAY, "10:30"), busy, override=True).code == (
        RefusalCode.SLOT_TAKEN
    )


@pytest.mark.parametrize(
    ("wall", "now_wall", "code"),
    [
        ("07:00", "08:00", RefusalCode.IN_PAST),  # also outside hours
        ("07:00", "06:00", RefusalCode.OUTSIDE_HOURS),  # also too soon and in time off
        ("09:00", "08:30", RefusalCode.TOO_SOON),  # also in time off and taken
        ("10:00", "06:00", RefusalCode.TIME_OFF),  # also taken
        ("11:00", "06:00", RefusalCode.SLOT_TAKEN),  # also over the day limit
    ],
)
def test_refusal_precedence(wall, now_wall, code):
    rules = service(min_notice=timedelta(hours=2), max_per_day=1)
    avail = availability(
        hours(("09:00", "12:00")),
        time_off=[Range(local(MONDAY, "06:30"), local(MONDAY, "10:30"))],
    )
    busy = [session(rules, local(MONDAY, "09:00"), session_id=1)]
    busy.append(session(service(id=2), local(MONDAY, "11:00"), session_id=2))
    busy.append(session(service(id=2), local(MONDAY, "10:00"), session_id=3))

    assert (
        refused(rules, avail, local(MONDAY, wall), busy, now=local(MONDAY, now_wall)).code == code
    )


def test_slots_belong_to_the_local_dates_asked_and_come_sorted():
    avail = availability(hours(("00:00", "02:00"), ("22:00", "23:59"), weekday=0))
    found = slots(service(), avail, first=MONDAY, last=MONDAY + timedelta(days=7))

    assert [f"{s.start.astimezone(LONDON):%m-%d %H:%M}" for s in found] == [
        "06-01 00:00",
        "06-01 01:00",
        "06-01 22:00",
        "06-08 00:00",
        "06-08 01:00",
        "06-08 22:00",
    ]
    assert all(s.start.tzinfo is UTC for s in found)


def test_naive_datetimes_are_a_programming_error():
    avail = availability(hours(("09:00", "12:00")))

    with pytest.raises(ValueError, match="aware"):
        check_candidate(service(), avail, [], now=NOW, start=datetime(2026, 6, 1, 9, 0))
    with pytest.raises(ValueError, match="aware"):
        compute_slots(
            service(), avail, [], now=datetime(2026, 6, 1), first_day=MONDAY, last_day=MONDAY
        )
