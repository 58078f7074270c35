"""Time GET /api/v1/slots/ for 60 days on the peer's workload, on PostgreSQL or SQLite.

The workload of django-appointment's own benchmark (issue 20): one 07:00-21:00 window every
day, a 15-minute service on a 15-minute grid, 20 time-off ranges, 2,000 existing bookings in
the 60 days (about 1,330 slots stay free). Creates a database of its own (th_bench_<pid>
next to the one DATABASE_URL names, or a temporary SQLite file without DATABASE_URL),
migrates it, and prints for the whole request (Django's test client, JWT auth) median and
p95 with the slot cache off and on, the loader, the engine and the JSON answer alone, the
query count at 2,000 and at 200 bookings, the loader's sessions query under EXPLAIN on
PostgreSQL, and with --growth a twin trainer with the same 2,000 bookings and 200,000 past
sessions, alone and timed in alternation with the first (the steadier comparison on a busy
machine): the listing should stay within 10 %. Dropped at the end.

  DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/slots_api.py
  .venv/bin/python bench/slots_api.py            # SQLite
  ... bench/slots_api.py --growth                # also 200,000 past sessions
"""

from __future__ import annotations

import os
import random
import statistics
import sys
import tempfile
import time
from datetime import datetime, timedelta
from datetime import time as clock
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

SEED = 20261122
REPEATS = int(os.environ.get("BENCH_REPEATS", "40"))
DAYS = 60
HISTORY = 200_000


def database_urls() -> tuple[str | None, str, str]:
    admin_url = os.environ.get("DATABASE_URL", "")
    if not admin_url.startswith("postgres"):
        path = Path(tempfile.mkdtemp()) / "bench.sqlite3"
        return None, f"sqlite:///{path}", str(path)
    name = f"th_bench_{os.getpid()}"
    return admin_url, urlunsplit(urlsplit(admin_url)._replace(path=f"/{name}")), name


def admin_execute(admin_url: str, sql: str) -> None:
    import psycopg

    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(sql)


def build(bookings: int, email: str):
    """The peer's trainer: 07:00-21:00 daily, a 15-minute service, 20 time off, bookings."""
    from trainerhub.accounts.models import User
    from trainerhub.clients.models import Client
    from trainerhub.core.timezones import zone
    from trainerhub.scheduling.models import Booking, Service, Session, TimeOff, WeeklyInterval

    rng = random.Random(SEED)
    trainer = User.objects.create_user(
        email, "bench-password-1", name="Bench", timezone="Europe/London"
    )
    service = Service.objects.create(
        trainer=trainer,
        name="Quarter",
        duration_minutes=15,
        slot_interval_minutes=15,
        min_notice_minutes=0,
        max_advance_days=120,
    )
    for weekday in range(7):
        WeeklyInterval.objects.create(
            trainer=trainer, weekday=weekday, start=clock(7), end=clock(21)
        )
    tz = zone("Europe/London")
    first = datetime.now(tz).date() + timedelta(days=1)
    for _ in range(20):
        start = datetime.combine(
            first + timedelta(days=rng.randrange(DAYS)), clock(rng.randrange(7, 20)), tz
        )
        TimeOff.objects.create(trainer=trainer, start=start, end=start + timedelta(minutes=45))
    clients = Client.objects.bulk_create(
        [Client(trainer=trainer, first_name=f"Client {i}") for i in range(200)]
    )
    quarters = [(d, q) for d in range(DAYS) for q in range(56)]
    sessions = []
    for day, quarter in sorted(rng.sample(quarters, bookings)):
        start = datetime.combine(first + timedelta(days=day), clock(7), tz) + timedelta(
            minutes=15 * quarter
        )
        end = start + timedelta(minutes=15)
        sessions.append(
            Session(
                trainer=trainer,
                service=service,
                start=start,
                end=end,
                blocked_start=start,
                blocked_end=end,
            )
        )
    sessions = Session.objects.bulk_create(sessions, batch_size=2000)
    Booking.objects.bulk_create(
        [
            Booking(
                trainer=trainer,
                session=s,
                client=rng.choice(clients),
                service=service,
                start=s.start,
                end=s.end,
            )
            for s in sessions
        ],
        batch_size=2000,
    )
    return trainer, service, first


def add_history(trainer, service, first) -> None:
    """200,000 completed sessions before the listing (they stay active: held time)."""
    from trainerhub.clients.models import Client
    from trainerhub.scheduling.models import Booking, Session

    client = Client.objects.filter(trainer=trainer).first()
    origin = datetime.combine(first, clock(0)).astimezone() - timedelta(days=1)
    for chunk in range(0, HISTORY, 20_000):
        sessions = []
        for k in range(chunk, chunk + 20_000):
            start = origin - timedelta(minutes=15 * (k + 1))
            end = start + timedelta(minutes=15)
            sessions.append(
                Session(
                    trainer=trainer,
                    service=service,
                    start=start,
                    end=end,
                    blocked_start=start,
                    blocked_end=end,
                )
            )
        sessions = Session.objects.bulk_create(sessions, batch_size=5000)
        Booking.objects.bulk_create(
            [
                Booking(
                    trainer=trainer,
                    session=s,
                    client=client,
                    service=service,
                    start=s.start,
                    end=s.end,
                    status=Booking.Status.COMPLETED,
                )
                for s in sessions
            ],
            batch_size=5000,
        )
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE scheduling_session; ANALYZE scheduling_booking")
    else:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


CPU: dict[str, float] = {}


def median_ms(run, repeats: int = REPEATS, name: str = "") -> tuple[float, float]:
    """Median and p95 wall time in ms; the median CPU time of this process goes in CPU."""
    timings, cpu = [], []
    for _ in range(repeats):
        t0, c0 = time.perf_counter(), time.process_time()
        run()
        timings.append((time.perf_counter() - t0) * 1000)
        cpu.append((time.process_time() - c0) * 1000)
    if name:
        CPU[name] = statistics.median(cpu)
    return statistics.median(timings), statistics.quantiles(timings, n=20)[-1]


def measure(trainer, service, first) -> dict[str, object]:
    from django.conf import settings
    from django.db import connection
    from django.test import Client as HttpClient
    from django.utils import timezone
    from rest_framework_simplejwt.tokens import RefreshToken

    from trainerhub.core.renderers import FastJSONRenderer
    from trainerhub.scheduling import selectors, slots
    from trainerhub.scheduling.api.slots import slots_answer

    token = RefreshToken.for_user(trainer).access_token
    http = HttpClient(headers={"Authorization": f"Bearer {token}"})
    last = first + timedelta(days=DAYS - 1)
    params = {"service": service.pk, "from": first.isoformat(), "to": last.isoformat()}
    url = "/api/v1/slots/"
    settings.SLOTS_CACHE_SECONDS = 0
    response = http.get(url, params)
    assert response.status_code == 200, response.content
    offered = len(response.json()["slots"])
    api, api95 = median_ms(lambda: http.get(url, params), name="api")
    executed: list[str] = []  # request_started resets Django's own query log

    def count(execute, sql, params, many, context):
        executed.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        http.get(url, params)
    gz = HttpClient(headers={"Authorization": f"Bearer {token}", "Accept-Encoding": "gzip"})
    gzipped = gz.get(url, params)
    settings.SLOTS_CACHE_SECONDS = 15
    http.get(url, params)
    cached, cached95 = median_ms(lambda: http.get(url, params))
    settings.SLOTS_CACHE_SECONDS = 0
    inputs = lambda: selectors.load_slot_inputs(  # noqa: E731
        trainer=trainer, first_day=first - timedelta(days=1), last_day=last + timedelta(days=1)
    )
    availability, busy = inputs()
    loader, _ = median_ms(inputs, name="loader")
    rules, now = selectors.service_rules(service), timezone.now()
    engine, _ = median_ms(
        lambda: slots.offered(rules, availability, busy, now=now, first_day=first, last_day=last),
        name="engine",
    )
    median_ms(
        lambda: slots.compute_slots(
            rules, availability, busy, now=now, first_day=first, last_day=last
        ),
        name="compute_slots",
    )
    query = {"from": first, "to": last}
    body = slots_answer(trainer=trainer, service=service, query=query)
    render, _ = median_ms(lambda: FastJSONRenderer().render(body))
    return {
        "offered slots": offered,
        "sessions loaded": len(busy),
        "api median ms (no cache)": api,
        "api p95 ms (no cache)": api95,
        "api median ms (cached)": cached,
        "api p95 ms (cached)": cached95,
        "loader median ms": loader,
        "engine median ms": engine,
        "api CPU median ms (no cache)": CPU["api"],
        "loader CPU median ms": CPU["loader"],
        "engine CPU median ms": CPU["engine"],
        "compute_slots CPU median ms": CPU["compute_slots"],
        **sessions_query(trainer, first - timedelta(days=2), last + timedelta(days=2)),
        "render median ms": render,
        "answer bytes / gzipped": f"{len(response.content)} / {len(gzipped.content)}",
        "queries (whole request)": len(executed),
    }


def sessions_query(trainer, first, last) -> dict[str, object]:
    """The loader's sessions query under EXPLAIN (ANALYZE, BUFFERS) on PostgreSQL: its
    execution time (best of 10, the steadier figure on a busy machine), the buffers it
    touched and the index it used."""
    from django.db import connection

    from trainerhub.core.timezones import local_day_bounds
    from trainerhub.scheduling import selectors

    if connection.vendor != "postgresql":
        return {}
    lo, hi = local_day_bounds(trainer.timezone, first, last)
    sql = selectors._busy_sql(connection.vendor, 0)
    moment = connection.ops.adapt_datetimefield_value
    params = [*selectors.SEAT_STATUSES, trainer.pk, moment(lo), moment(hi)]
    runs = []
    with connection.cursor() as cursor:
        for _ in range(10):
            cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}", params)
            runs.append([row[0] for row in cursor.fetchall()])
    best = min(runs, key=lambda plan: float(plan[-1].split()[2]))
    scans = [line.split("  (")[0].strip(" ->") for line in best if "Scan" in line]
    buffers = next(line.strip() for line in best if "Buffers:" in line)
    return {
        "sessions query (EXPLAIN) ms": float(best[-1].split()[2]),
        "sessions query buffers": buffers.removeprefix("Buffers: "),
        "sessions query scans": "; ".join(scans),
    }


def alternated(plain, grown, rounds: int = 10) -> str:
    """Both trainers' listings (no cache) in turns of REPEATS // 4 requests; medians of
    wall and CPU time and their ratio (grown / plain)."""
    from django.conf import settings
    from django.test import Client as HttpClient
    from rest_framework_simplejwt.tokens import RefreshToken

    settings.SLOTS_CACHE_SECONDS = 0
    runs = []
    for trainer, service, first in (plain, grown):
        token = RefreshToken.for_user(trainer).access_token
        http = HttpClient(headers={"Authorization": f"Bearer {token}"})
        last = first + timedelta(days=DAYS - 1)
        params = {"service": service.pk, "from": first.isoformat(), "to": last.isoformat()}
        assert http.get("/api/v1/slots/", params).status_code == 200
        runs.append((http, params))
    walls: list[list[float]] = [[], []]
    cpus: list[list[float]] = [[], []]
    for _ in range(rounds):
        for side, (http, params) in enumerate(runs):
            for _ in range(max(REPEATS // 4, 1)):
                t0, c0 = time.perf_counter(), time.process_time()
                http.get("/api/v1/slots/", params)
                walls[side].append((time.perf_counter() - t0) * 1000)
                cpus[side].append((time.process_time() - c0) * 1000)
    wall = [statistics.median(w) for w in walls]
    cpu = [statistics.median(c) for c in cpus]
    return (
        f"  growth, alternated ({rounds} turns each): wall {wall[0]:.2f} -> {wall[1]:.2f} ms "
        f"({wall[1] / wall[0]:.2f}x), CPU {cpu[0]:.2f} -> {cpu[1]:.2f} ms "
        f"({cpu[1] / cpu[0]:.2f}x; target <= 1.10); load average {os.getloadavg()[0]:.1f}"
    )


def show(title: str, result: dict[str, object]) -> None:
    print(f"\n{title}")
    for key, value in result.items():
        shown = f"{value:.2f}" if isinstance(value, float) else value
        print(f"  {key:<28} {shown}")


def main() -> None:
    growth = "--growth" in sys.argv
    admin_url, bench_url, name = database_urls()
    if admin_url:
        admin_execute(admin_url, f'CREATE DATABASE "{name}"')
    try:
        os.environ["DATABASE_URL"] = bench_url
        os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost")
        os.environ.setdefault("LOG_LEVEL", "WARNING")
        os.environ.setdefault("DB_CONN_MAX_AGE", "600")
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
        import django

        django.setup()
        from django.core.management import call_command
        from django.db import connection, connections

        call_command("migrate", verbosity=0)
        print(
            f"slots API on {connection.vendor} ({name}): {DAYS} days, the peer's workload, "
            f"{REPEATS} requests each; load average {os.getloadavg()[0]:.1f}"
        )
        small = build(200, "bench200@example.com")
        trainer, service, first = build(2000, "bench2000@example.com")
        base = measure(trainer, service, first)
        show("2,000 bookings:", base)
        show("200 bookings (the query count must not change):", measure(*small))
        if growth:
            # A second trainer with the same 2,000 bookings, then 200,000 past sessions: the
            # two listings are timed in alternation, so a change of load hits both alike.
            twin = build(2000, "bench2000h@example.com")
            t0 = time.perf_counter()
            add_history(*twin)
            print(f"\n(added {HISTORY:,} past sessions in {time.perf_counter() - t0:.0f} s)")
            grown = measure(*twin)
            show(f"2,000 bookings + {HISTORY:,} past sessions:", grown)
            ratio = grown["api median ms (no cache)"] / base["api median ms (no cache)"]
            print(f"\n  growth: listing {ratio:.2f}x of no history, one after the other")
            print(alternated((trainer, service, first), twin))
        connections.close_all()
    finally:
        if admin_url:
            admin_execute(admin_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


if __name__ == "__main__":
    main()
