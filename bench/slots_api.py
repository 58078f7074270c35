"""Time GET /api/v1/slots/ for 60 days on PostgreSQL, and count its SQL queries.

Creates a database of its own (th_bench_<pid>) next to the one DATABASE_URL names, migrates
it, builds one trainer with 5 services, 3 weekly intervals a day, 50 date overrides, 20 time
off ranges and 2,000 bookings (fixed seed), then times 60 days of slots through Django's test
Client (JWT auth, the whole request) and prints median and p95 in ms, the engine alone on the
same inputs, and the query count; then again with 200 bookings to show the count does not
depend on the number of bookings. The database is dropped at the end; dev data is untouched.

Run from the repository root:
  DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/slots_api.py
"""

from __future__ import annotations

import os
import random
import statistics
import sys
import time
from datetime import datetime, timedelta
from datetime import time as clock
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

SEED = 20261122
REPEATS = int(os.environ.get("BENCH_REPEATS", "50"))
DAYS = 60


def database_urls() -> tuple[str, str, str]:
    admin_url = os.environ.get("DATABASE_URL", "")
    if not admin_url.startswith(("postgres://", "postgresql://")):
        sys.exit(
            "Set DATABASE_URL to a PostgreSQL URL, e.g. postgres://postgres@127.0.0.1:5432/postgres"
        )
    name = f"th_bench_{os.getpid()}"
    return admin_url, urlunsplit(urlsplit(admin_url)._replace(path=f"/{name}")), name


def admin_execute(admin_url: str, sql: str) -> None:
    import psycopg

    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(sql)


def build(bookings_wanted: int, email: str):
    """One trainer and its data; bookings written in bulk (placed so none overlap)."""
    from trainerhub.accounts.models import User
    from trainerhub.clients.models import Client
    from trainerhub.core.timezones import zone
    from trainerhub.scheduling.models import (
        Booking,
        DateOverride,
        Service,
        Session,
        TimeOff,
        WeeklyInterval,
    )

    rng = random.Random(SEED)
    trainer = User.objects.create_user(
        email, "bench-password-1", name="Bench", timezone="Europe/London"
    )
    specs = [
        {"name": "PT 60", "duration_minutes": 60, "buffer_after_minutes": 15},
        {"name": "Consult 30", "duration_minutes": 30},
        {"name": "Group 90", "duration_minutes": 90, "capacity": 8},
        {"name": "Online 45", "duration_minutes": 45, "slot_interval_minutes": 15},
        {"name": "Long 120", "duration_minutes": 120, "buffer_before_minutes": 30},
    ]
    services = [
        Service.objects.create(trainer=trainer, min_notice_minutes=60, max_advance_days=120, **s)
        for s in specs
    ]
    for weekday in range(7):
        for start, end in ((7, 10), (11, 14), (15, 20)):
            WeeklyInterval.objects.create(
                trainer=trainer, weekday=weekday, start=clock(start), end=clock(end)
            )
    tz = zone("Europe/London")
    today = datetime.now(tz).date()
    for day in sorted(rng.sample(range(1, 120), 50)):
        closed = rng.random() < 0.4
        DateOverride.objects.create(
            trainer=trainer,
            date=today + timedelta(days=day),
            closed=closed,
            intervals=[]
            if closed
            else [{"start": "09:00", "end": "13:00"}, {"start": "14:00", "end": "18:00"}],
        )
    for _ in range(20):
        start = datetime.combine(
            today + timedelta(days=rng.randrange(-10, 70)), clock(rng.randrange(7, 18)), tz
        )
        TimeOff.objects.create(
            trainer=trainer, start=start, end=start + timedelta(hours=rng.choice([1, 2, 3, 26]))
        )
    clients = Client.objects.bulk_create(
        [Client(trainer=trainer, first_name=f"Client {i}") for i in range(200)]
    )
    # Sessions over a year (half a year back, half ahead), at starts 90 minutes apart inside
    # the working hours so none overlap; 40% of the bookings sit in full group sessions.
    group, private = services[2], [services[0], services[1], services[3]]
    group_sessions = bookings_wanted * 2 // 5 // 8
    private_sessions = bookings_wanted - group_sessions * 8
    positions = [
        (day, hhmm)
        for day in range(-180, 186)
        for hhmm in ("07:00", "08:30", "11:00", "12:30", "15:00", "16:30", "18:00")
    ]
    chosen = sorted(rng.sample(positions, private_sessions + group_sessions))
    group_at = set(rng.sample(range(len(chosen)), group_sessions))
    sessions = []
    for k, (day, hhmm) in enumerate(chosen):
        service = group if k in group_at else private[k % 3]
        start = datetime.combine(today + timedelta(days=day), clock.fromisoformat(hhmm), tz)
        end = start + timedelta(minutes=service.duration_minutes)
        sessions.append(
            Session(
                trainer=trainer,
                service=service,
                start=start,
                end=end,
                blocked_start=start - timedelta(minutes=service.buffer_before_minutes),
                blocked_end=end + timedelta(minutes=service.buffer_after_minutes),
                capacity=service.capacity,
            )
        )
    sessions = Session.objects.bulk_create(sessions)
    rows = []
    for session in sessions:
        for _ in range(8 if session.service_id == group.pk else 1):
            rows.append(
                Booking(
                    trainer=trainer,
                    session=session,
                    client=rng.choice(clients),
                    service_id=session.service_id,
                    start=session.start,
                    end=session.end,
                    status=Booking.Status.CONFIRMED,
                )
            )
    Booking.objects.bulk_create(rows)
    return trainer, services[0], Booking.objects.filter(trainer=trainer).count()


def measure(trainer, service) -> dict[str, float]:
    from django.db import connection
    from django.test import Client as HttpClient
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone
    from rest_framework_simplejwt.tokens import RefreshToken

    from trainerhub.core.timezones import zone
    from trainerhub.scheduling import selectors, slots

    token = RefreshToken.for_user(trainer).access_token
    http = HttpClient(headers={"Authorization": f"Bearer {token}"})
    first = datetime.now(zone(trainer.timezone)).date() + timedelta(days=1)
    last = first + timedelta(days=DAYS - 1)
    params = {"service": service.pk, "from": first.isoformat(), "to": last.isoformat()}
    url = "/api/v1/slots/"
    response = http.get(url, params)
    assert response.status_code == 200, response.content
    offered = len(response.json()["slots"])
    timings = []
    for _ in range(REPEATS):
        t0 = time.perf_counter()
        http.get(url, params)
        timings.append((time.perf_counter() - t0) * 1000)
    with CaptureQueriesContext(connection) as ctx:
        http.get(url, params)
    with CaptureQueriesContext(connection) as loader_ctx:
        availability, busy = selectors.load_slot_inputs(
            trainer=trainer, first_day=first - timedelta(days=1), last_day=last + timedelta(days=1)
        )
    rules = selectors.service_rules(service)
    now = timezone.now()
    engine = []
    for _ in range(REPEATS):
        t0 = time.perf_counter()
        slots.compute_slots(rules, availability, busy, now=now, first_day=first, last_day=last)
        engine.append((time.perf_counter() - t0) * 1000)
    load = []
    for _ in range(REPEATS):
        t0 = time.perf_counter()
        selectors.load_slot_inputs(trainer=trainer, first_day=first, last_day=last)
        load.append((time.perf_counter() - t0) * 1000)
    trips = []
    with connection.cursor() as cursor:
        for _ in range(REPEATS):
            t0 = time.perf_counter()
            cursor.execute("SELECT 1")
            cursor.fetchone()
            trips.append((time.perf_counter() - t0) * 1000)
    return {
        "offered": offered,
        "busy sessions loaded": len(busy),
        "api median ms": statistics.median(timings),
        "api p95 ms": statistics.quantiles(timings, n=20)[-1],
        "engine median ms": statistics.median(engine),
        "loader median ms": statistics.median(load),
        "queries (whole request)": len(ctx.captured_queries),
        "queries (loader)": len(loader_ctx.captured_queries),
        "SELECT 1 round trip ms": statistics.median(trips),
    }


def main() -> None:
    admin_url, bench_url, name = database_urls()
    admin_execute(admin_url, f'CREATE DATABASE "{name}"')
    try:
        os.environ["DATABASE_URL"] = bench_url
        os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost")
        os.environ.setdefault("LOG_LEVEL", "WARNING")
        # Persistent connections, as a deployment would run; 0 would reconnect per request.
        os.environ.setdefault("DB_CONN_MAX_AGE", "600")
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
        import django

        django.setup()
        from django.core.management import call_command
        from django.db import connections

        call_command("migrate", verbosity=0)
        print(f"slots API benchmark on {name}: {DAYS} days of slots, {REPEATS} requests each")
        for wanted in (2000, 200):
            trainer, service, count = build(wanted, f"bench{wanted}@example.com")
            result = measure(trainer, service)
            print(
                f"\n{count} bookings, 5 services, 21 weekly intervals, 50 overrides, 20 time off:"
            )
            for key, value in result.items():
                print(
                    f"  {key:<26} {value:.2f}"
                    if isinstance(value, float)
                    else f"  {key:<26} {value}"
                )
        connections.close_all()
    finally:
        admin_execute(admin_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


if __name__ == "__main__":
    main()
