"""Time the pure slot engine: 60 days of slots for a busy trainer.

Data (fixed seed, plain values, no database): 5 services with their own buffers, each with
3 weekly intervals a day on every weekday; 50 date overrides (a fifth of them closed);
20 time-off ranges (an hour to two days); 2,000 non-overlapping sessions spread over the 60
days and the 300 before them (about 5 a day), all passed to the engine.

Prints two lines: median and p95 of compute_slots over many runs (the services take turns)
on BusySession values, and of `offered` on the loader's integer rows (`BusyRows`, what the
slots API runs), in wall-clock time and in CPU time of this process (the CPU figure is the
one to trust on a busy machine; the load average is printed too).

Run from the repository root: .venv/bin/python bench/slots_engine.py [repeats]
"""

from __future__ import annotations

import os
import random
import statistics
import sys
import time as clock
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from trainerhub.scheduling.slots import (
    Availability,
    BusyRows,
    BusySession,
    DayOverride,
    Range,
    ServiceRules,
    WeeklyRule,
    compute_slots,
    offered,
)

SEED = 20261122
ZONE = "Europe/London"
DAYS = 60
FIRST_DAY = date(2026, 3, 2)  # spans the spring-forward day, which costs nothing extra
NOW = datetime(2026, 3, 1, 21, 0, tzinfo=UTC)
SESSIONS = 2000
HISTORY_DAYS = 300  # the 2,000 sessions spread over these and the 60 days ahead


def build(rng: random.Random) -> tuple[list[ServiceRules], Availability, list[BusySession]]:
    services = [
        ServiceRules(
            id=number,
            duration=timedelta(minutes=rng.choice([30, 45, 60, 90])),
            buffer_before=timedelta(minutes=rng.choice([0, 10, 15])),
            buffer_after=timedelta(minutes=rng.choice([0, 15, 30])),
            interval=rng.choice([None, timedelta(minutes=15), timedelta(minutes=30)]),
            capacity=rng.choice([1, 1, 1, 8]),
            min_notice=timedelta(hours=2),
            max_advance=timedelta(days=90),
            max_per_day=rng.choice([None, 6]),
        )
        for number in range(1, 6)
    ]
    weekly = [
        WeeklyRule(weekday, time(7 + shift, 0), time(12, 0), service.id)
        for service in services
        for weekday in range(7)
        for shift in [rng.randint(0, 1)]
    ]
    weekly += [
        WeeklyRule(weekday, time(start), time(end), service.id)
        for service in services
        for weekday in range(7)
        for start, end in ((13, 17), (18, 21))
    ]
    override_days = rng.sample(range(DAYS), 50)
    overrides = {
        FIRST_DAY + timedelta(days=offset): (
            DayOverride(closed=True)
            if index % 5 == 0
            else DayOverride(closed=False, intervals=((time(9), time(13)), (time(14), time(18))))
        )
        for index, offset in enumerate(override_days)
    }
    zone = ZoneInfo(ZONE)
    origin = datetime.combine(FIRST_DAY, time(0), tzinfo=zone).astimezone(UTC)
    time_off = []
    for _ in range(20):
        start = origin + timedelta(minutes=15 * rng.randrange(DAYS * 96))
        time_off.append(Range(start, start + timedelta(hours=rng.randint(1, 48))))
    # Sessions never overlap (the database refuses it), so place each day's greedily;
    # the loader returns them ordered by start, as here.
    busy: list[BusySession] = []
    days = list(range(-HISTORY_DAYS, DAYS))
    while len(busy) < SESSIONS:
        day = FIRST_DAY + timedelta(days=rng.choice(days))
        service = rng.choice(services)
        wall = time(rng.randint(7, 19), rng.choice([0, 15, 30, 45]))
        start = datetime.combine(day, wall, tzinfo=zone).astimezone(UTC)
        end = start + service.duration
        blocked = (start - service.buffer_before, end + service.buffer_after)
        if any(b.blocked_start < blocked[1] and b.blocked_end > blocked[0] for b in busy):
            continue
        busy.append(
            BusySession(
                session_id=len(busy) + 1,
                service_id=service.id,
                start=start,
                end=end,
                blocked_start=blocked[0],
                blocked_end=blocked[1],
                seats_taken=rng.randint(1, service.capacity),
                capacity=service.capacity,
            )
        )
    busy.sort(key=lambda b: b.start)
    availability = Availability(
        tz=ZONE, weekly=tuple(weekly), overrides=overrides, time_off=tuple(time_off)
    )
    return services, availability, busy


def percentiles(timings: list[float]) -> tuple[float, float]:
    ordered = sorted(timings)
    return statistics.median(ordered), ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]


def main() -> None:
    repeats = int(sys.argv[1]) if len(sys.argv) > 1 else 500
    services, availability, busy = build(random.Random(SEED))
    time_runs(
        "compute_slots, BusySession values", compute_slots, services, availability, busy, repeats
    )
    time_runs(
        "offered, the loader's rows", offered, services, availability, BusyRows.of(busy), repeats
    )


def time_runs(title, engine, services, availability, busy, repeats: int) -> None:
    last_day = FIRST_DAY + timedelta(days=DAYS - 1)
    walls: list[float] = []
    cpus: list[float] = []
    counts: list[int] = []
    for repeat in range(repeats + 20):
        service = services[repeat % len(services)]
        wall_started, cpu_started = clock.perf_counter(), clock.process_time()
        slots = engine(service, availability, busy, now=NOW, first_day=FIRST_DAY, last_day=last_day)
        cpu, wall = clock.process_time() - cpu_started, clock.perf_counter() - wall_started
        if repeat >= 20:  # the first runs warm caches (zone data, allocator)
            walls.append(wall * 1000)
            cpus.append(cpu * 1000)
            counts.append(len(slots))
    wall_median, wall_p95 = percentiles(walls)
    cpu_median, cpu_p95 = percentiles(cpus)
    print(
        f"slots engine ({title}), {DAYS} days, 5 services, {len(availability.weekly)} weekly "
        f"rules, {len(availability.overrides)} overrides, {len(availability.time_off)} time off, "
        f"{len(busy)} sessions, {repeats} runs: "
        f"median {wall_median:.2f} ms, p95 {wall_p95:.2f} ms wall; "
        f"median {cpu_median:.2f} ms, p95 {cpu_p95:.2f} ms CPU "
        f"({min(counts)}-{max(counts)} slots per service; target < 5 ms; "
        f"load average {os.getloadavg()[0]:.1f})"
    )


if __name__ == "__main__":
    main()
