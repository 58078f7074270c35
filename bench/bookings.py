"""Bookings under load: the server as `make run` starts it, 16 connections, POST /api/v1/bookings/.

Builds a database of its own (th_bench_<pid> next to DATABASE_URL's, or a temporary SQLite
file without it), one trainer open 06:00-22:00 every day with a 30-minute service and 400
clients with email addresses (so every booking writes its confirmation, reminders and
history rows in its transaction), starts `manage.py serve --no-worker` (bench/load.py's
helpers: gunicorn, DEBUG off, WEB_CONCURRENCY workers) and runs two scenarios from a small
asyncio client (bench/_http.py) at CONNECTIONS connections:

- uncontested: BENCH_BOOKINGS distinct free slots of the one trainer, each booked once (16
  clients booking different slots at once: what the per-day write guard lets run side by side);
- contested: 200 slots x 20 requests each, shuffled; afterwards the database is checked:
  exactly one active booking per slot, and every other request answered 409.

Then the worker as `make run` starts it (`manage.py run_worker`, console e-mail) works
through the outbox the runs wrote for BENCH_WORKER_SECONDS (default 30): how many messages it
sent, and its RSS after them.

Prints requests/s, p50 and p99 of each, the status counts, the database check, and the
server and worker processes' RSS. Exit status 1 when the check fails.

  DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/bookings.py
  .venv/bin/python bench/bookings.py            # SQLite
"""

from __future__ import annotations

import asyncio
import os
import random
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
sys.argv = sys.argv[:1]  # bench/load.py reads its own arguments from sys.argv

import load  # noqa: E402  (the server helpers)
import slots_api  # noqa: E402  (the database helpers)
from _http import Connection, Run, path_with_query, run  # noqa: E402

CONNECTIONS = 16
BOOKINGS = int(os.environ.get("BENCH_BOOKINGS", "2000"))
CONTESTED_SLOTS, PER_SLOT = 200, 20
CLIENTS = 400
WARM = 32  # bookings made before the timed runs, on slots of their own
WORKER_SECONDS = float(os.environ.get("BENCH_WORKER_SECONDS", "30"))


def build():  # type: ignore[no-untyped-def]
    from decimal import Decimal

    from trainerhub.accounts.models import User
    from trainerhub.clients.services import client_create
    from trainerhub.core.timezones import zone
    from trainerhub.scheduling.models import WeeklyInterval
    from trainerhub.scheduling.services import service_create

    trainer = User.objects.create_user(
        "bookings@example.com", "bench-password-123", name="Bench", timezone="Europe/London"
    )
    for weekday in range(7):
        WeeklyInterval.objects.create(trainer=trainer, weekday=weekday, start="06:00", end="22:00")
    service = service_create(
        trainer=trainer,
        name="PT",
        duration_minutes=30,
        price=Decimal("50"),
        currency="GBP",
        max_advance_days=365,
    )
    clients = [
        client_create(trainer=trainer, first_name=f"Bench {i}", email=f"bench{i}@example.com")
        for i in range(CLIENTS)
    ]
    tz = zone(trainer.timezone)
    day0 = datetime.now(tz).date() + timedelta(days=2)

    def slot(i: int) -> str:
        day = day0 + timedelta(days=i // 32)
        at = datetime.combine(day, datetime.min.time(), tz).replace(
            hour=6 + (i % 32) // 2, minute=30 * (i % 2)
        )
        return at.isoformat()

    free = [slot(i) for i in range(BOOKINGS)]
    contested = [slot(BOOKINGS + 64 + i) for i in range(CONTESTED_SLOTS)]
    warm = [slot(BOOKINGS + 128 + CONTESTED_SLOTS + i) for i in range(WARM)]
    return trainer, service, [c.pk for c in clients], free, contested, warm


async def post_all(url: str, token: str, bodies: list[dict]) -> Run:
    """POST each body once from CONNECTIONS keep-alive connections (bench/_http.py)."""
    headers = {"Authorization": f"Bearer {token}"}
    connections = [Connection(url, headers) for _ in range(CONNECTIONS)]
    path = path_with_query(url)
    requests = [connections[0].request_bytes("POST", path, body) for body in reversed(bodies)]
    return await run(connections, lambda: requests.pop() if requests else None)


def check(trainer_id: int, contested: list[str]) -> bool:
    from django.db import connections
    from django.db.models import Count
    from django.utils.dateparse import parse_datetime

    from trainerhub.scheduling.models import Booking

    connections.close_all()
    starts = [parse_datetime(s) for s in contested]
    per_slot = dict(
        Booking.objects.filter(
            trainer_id=trainer_id, start__in=starts, status__in=Booking.ACTIVE_STATUSES
        )
        .values_list("start")
        .annotate(n=Count("id"))
        .values_list("start", "n")
    )
    winners = [per_slot.get(s, 0) for s in starts]
    ok = all(n == 1 for n in winners)
    print(
        f"  database check: {sum(winners)} active bookings on {len(starts)} contested slots, "
        f"{'exactly one each' if ok else 'NOT one each'}"
    )
    return ok


def run_worker(env: dict[str, str]) -> None:
    """The worker process on the outbox the runs left: messages sent, and its RSS."""
    import subprocess

    from django.db import connections

    from trainerhub.notifications.models import Notification

    def sent() -> int:
        connections.close_all()
        return Notification.objects.filter(status=Notification.Status.SENT).count()

    before = sent()
    worker = subprocess.Popen(
        [sys.executable, "manage.py", "run_worker"],
        cwd=load.ROOT,
        env={**env, "DEBUG": "false", "EMAIL_URL": "console:"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        time.sleep(WORKER_SECONDS)
        rss = ", ".join(f"{mb:.0f}" for mb in load.workers_rss_mb(worker))
    finally:
        load.stop_server(worker)
    print(
        f"  worker: {sent() - before} messages sent in {WORKER_SECONDS:.0f} s; "
        f"worker process RSS MB: {rss}"
    )


def main() -> int:
    admin_url, bench_url, name = slots_api.database_urls()
    if admin_url:
        slots_api.admin_execute(admin_url, f'CREATE DATABASE "{name}"')
    try:
        env = load.prepare(bench_url)
        from django.db import connection, connections
        from rest_framework_simplejwt.tokens import RefreshToken

        trainer, service, clients, free, contested, warm = build()
        vendor = connection.vendor
        connections.close_all()
        token = str(RefreshToken.for_user(trainer).access_token)
        rng = random.Random(20261202)
        uncontested = [
            {"client": clients[i % len(clients)], "service": service.pk, "start": start}
            for i, start in enumerate(free)
        ]
        rng.shuffle(uncontested)
        fights = [
            {
                "client": clients[(i * PER_SLOT + j) % len(clients)],
                "service": service.pk,
                "start": s,
            }
            for i, s in enumerate(contested)
            for j in range(PER_SLOT)
        ]
        rng.shuffle(fights)
        print(
            f"bookings under load on {vendor}: {CONNECTIONS} connections, gunicorn with "
            f"{env.get('WEB_CONCURRENCY', '2')} workers (manage.py serve, DEBUG off); "
            f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}"
        )
        port = load.free_port()
        server = load.start_server(env, port)
        try:
            url = f"http://127.0.0.1:{port}/api/v1/bookings/"
            # Every worker's first requests load what a booking needs (imports, the first
            # connection, templates): booked apart, so the runs time the server warm.
            warming = [
                {"client": clients[i], "service": service.pk, "start": start}
                for i, start in enumerate(warm)
            ]
            asyncio.run(post_all(url, token, warming))
            for title, bodies in (("uncontested", uncontested), ("contested", fights)):
                load.report(title, asyncio.run(post_all(url, token, bodies)))
            rss = ", ".join(f"{mb:.0f}" for mb in load.workers_rss_mb(server))
            print(f"  server processes RSS MB: {rss}")
        finally:
            load.stop_server(server)
        ok = check(trainer.pk, contested)
        run_worker(env)
        return 0 if ok else 1
    finally:
        if admin_url:
            from django.db import connections

            connections.close_all()
            slots_api.admin_execute(admin_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


if __name__ == "__main__":
    sys.exit(main())
