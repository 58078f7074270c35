"""Busy times of the trainer's own calendars are never offered and never accepted: the
engine (property over random calendars), the slots API, the booking API and the public
booking page, on SQLite and PostgreSQL alike (the suite runs on both)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from trainerhub.calendars import services
from trainerhub.calendars.parsing import busy_ranges
from trainerhub.calendars.tests.ics_builder import ics
from trainerhub.calendars.tests.server import Route
from trainerhub.core.tests.factories import local_at, make_client, make_service, open_every_day
from trainerhub.scheduling import slots
from trainerhub.scheduling.models import Booking

# --- the engine: a property over random calendars -------------------------------------------

DAY = date(2027, 3, 26)  # London's clocks go forward on the 28th
ZONE = "Europe/London"
WINDOW = (datetime(2027, 3, 25, tzinfo=UTC), datetime(2027, 4, 2, tzinfo=UTC))


@st.composite
def calendars(draw):
    """Random events: opaque or free, some cancelled, some all-day, some recurring daily."""
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//t//EN"]
    for n in range(draw(st.integers(0, 6))):
        day = DAY + timedelta(days=draw(st.integers(0, 5)))
        lines += ["BEGIN:VEVENT", f"UID:e{n}", "DTSTAMP:20270101T000000Z"]
        if draw(st.booleans()) and draw(st.booleans()):
            lines += [f"DTSTART;VALUE=DATE:{day:%Y%m%d}"]
        else:
            minute = draw(st.integers(6 * 12, 21 * 12)) * 5
            start = datetime.combine(day, time(minute // 60, minute % 60))
            length = timedelta(minutes=draw(st.sampled_from([10, 25, 45, 60, 120])))
            # Its own zone, another zone, or floating (the trainer's zone).
            tzid = draw(st.sampled_from([";TZID=Europe/London", ";TZID=Europe/Berlin", ""]))
            fmt = "%Y%m%dT%H%M%S"
            lines += [
                f"DTSTART{tzid}:{start:{fmt}}",
                f"DTEND{tzid}:{start + length:{fmt}}",
            ]
        if draw(st.booleans()):
            lines.append(f"RRULE:FREQ=DAILY;COUNT={draw(st.integers(2, 4))}")
        lines.append(draw(st.sampled_from(["", "", "TRANSP:TRANSPARENT", "STATUS:CANCELLED"])))
        lines.append("END:VEVENT")
    lines.append("END:VCALENDAR")
    return "\r\n".join(line for line in lines if line).encode() + b"\r\n"


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    data=calendars(),
    duration=st.sampled_from([30, 45, 60, 90]),
    buffer=st.sampled_from([0, 10, 15]),
)
def test_the_engine_never_offers_a_time_overlapping_a_busy_range(data, duration, buffer):
    busy = busy_ranges(data, tz_name=ZONE, window_start=WINDOW[0], window_end=WINDOW[1])
    service = slots.ServiceRules(
        id=1,
        duration=timedelta(minutes=duration),
        buffer_before=timedelta(minutes=buffer),
        interval=timedelta(minutes=15),
        max_advance=timedelta(days=30),
    )
    availability = slots.Availability(
        tz=ZONE,
        weekly=tuple(slots.WeeklyRule(w, time(6), time(22)) for w in range(7)),
        time_off=tuple(slots.Range(r.start, r.end) for r in busy),
    )
    now = datetime(2027, 3, 24, tzinfo=UTC)
    offered = slots.compute_slots(
        service, availability, [], now=now, first_day=DAY, last_day=DAY + timedelta(days=6)
    )
    for slot in offered:
        for r in busy:
            assert not (slot.start < r.end and r.start < slot.end), (slot, r)
    # And the judge agrees: a start inside a busy range is refused, naming the time off.
    for r in busy:
        start = r.start.replace(second=0, microsecond=0)
        with pytest.raises(slots.SlotRefused):
            slots.check_candidate(service, availability, [], now=now, start=start)


# --- the product: API slots, API booking, public booking page --------------------------------


@pytest.fixture
def busy_alice(alice, calendar_host):
    """alice works 07:00-21:00; her own calendar says she is busy in two days 10:00-11:30."""
    open_every_day(alice)
    calendar_host.routes["/family.ics"] = Route(
        body=ics((local_at(alice, 2, "10:00"), local_at(alice, 2, "11:30")))
    )
    row = services.subscription_create(
        trainer=alice, name="Family", url=calendar_host.url("/family.ics")
    )
    assert services.subscription_refresh(subscription=row)
    return alice


@pytest.mark.django_db
def test_the_slots_api_leaves_the_busy_time_out(alice_api, busy_alice):
    service = make_service(busy_alice, duration_minutes=60)
    day = local_at(busy_alice, 2, "00:00").date().isoformat()
    res = alice_api.get("/api/v1/slots/", {"service": service.pk, "from": day, "to": day})
    assert res.status_code == 200, res.json()
    starts = [datetime.fromisoformat(s["start"]).strftime("%H:%M") for s in res.json()["slots"]]
    # 60-minute slots on the hour: 09:00 would end at 10:00 (free); 10:00 and 11:00 overlap.
    assert "09:00" in starts and "12:00" in starts
    assert "10:00" not in starts and "11:00" not in starts
    assert len(starts) == 14 - 2


@pytest.mark.django_db
def test_a_booking_at_a_busy_time_is_refused(alice_api, busy_alice):
    service = make_service(busy_alice, duration_minutes=60)
    carol = make_client(busy_alice, "Carol")
    payload = {"client": carol.pk, "service": service.pk}
    res = alice_api.post(
        "/api/v1/bookings/",
        {**payload, "start": local_at(busy_alice, 2, "11:00").isoformat()},
        format="json",
    )
    assert res.status_code == 409, res.json()
    assert res.json()["code"] == "time_off"
    assert not Booking.objects.exists()
    res = alice_api.post(
        "/api/v1/bookings/",
        {**payload, "start": local_at(busy_alice, 2, "12:00").isoformat()},
        format="json",
    )
    assert res.status_code == 201, res.json()


@pytest.mark.django_db
def test_the_slot_loader_reads_busy_times_in_one_query(busy_alice, django_assert_num_queries):
    from trainerhub.scheduling.selectors import load_slot_inputs

    day = local_at(busy_alice, 2, "00:00").date()
    # Weekly hours, overrides, time off, busy times (one), sessions, the day limit.
    with django_assert_num_queries(6):
        availability, _busy = load_slot_inputs(trainer=busy_alice, first_day=day, last_day=day)
    assert [(r.start, r.end) for r in availability.time_off] == [
        (local_at(busy_alice, 2, "10:00"), local_at(busy_alice, 2, "11:30"))
    ]


@pytest.mark.django_db
def test_another_trainers_calendar_does_not_block(bob, busy_alice):
    from trainerhub.scheduling.selectors import load_slot_inputs

    day = local_at(busy_alice, 2, "00:00").date()
    availability, _busy = load_slot_inputs(trainer=bob, first_day=day, last_day=day)
    assert availability.time_off == ()


@pytest.mark.django_db
def test_the_explainer_names_the_busy_calendar_and_the_time_off(alice_api, busy_alice):
    """'Why is 10:00 not free?' names the calendar that is busy (the engine only knows a
    range), beside the trainer's own time off; the API and the page say the same."""
    from trainerhub.scheduling import services as scheduling

    service = make_service(busy_alice, duration_minutes=60)
    scheduling.time_off_create(
        trainer=busy_alice,
        start=local_at(busy_alice, 2, "11:30"),
        end=local_at(busy_alice, 2, "12:30"),
        reason="Physio",
    )
    start = local_at(busy_alice, 2, "11:00")
    body = alice_api.get(
        "/api/v1/slots/explain", {"service": service.pk, "start": start.isoformat()}
    ).json()
    day = f"{start:%a %d %b}"
    assert body["code"] == "time_off"
    assert body["facts"] == [
        f"Busy {day} 10:00 to {day} 11:30 in your calendar “Family”.",
        f"Away {day} 11:30 to {day} 12:30 (time off: Physio).",
    ]


@pytest.mark.django_db
def test_a_connected_calendar_is_named_with_its_provider(alice, bob, busy_alice):
    from django.utils import timezone

    from trainerhub.calendars.models import (
        BUSY_ID_OFFSET,
        CalendarSubscription,
        Connection,
        RemoteCalendar,
    )
    from trainerhub.calendars.selectors import busy_calendar_names

    account = Connection.objects.create(
        trainer=alice, provider="google", access_token="a", expires_at=timezone.now()
    )
    work = RemoteCalendar.objects.create(
        trainer=alice, connection=account, remote_id="w", name="Work", busy=True
    )
    family = CalendarSubscription.objects.get(trainer=alice)
    ids = {family.pk, BUSY_ID_OFFSET + work.pk}
    assert busy_calendar_names(alice.pk, ids) == {
        family.pk: "Family",
        BUSY_ID_OFFSET + work.pk: "Work (Google Calendar)",
    }
    assert busy_calendar_names(bob.pk, ids) == {}  # never another trainer's names
