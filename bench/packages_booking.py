"""Time booking creation with a package credit against without one, on PostgreSQL (the
issue's target: the credit adds under 2 ms to the median).

Creates a database of its own (th_bench_packages_<pid>) next to the one DATABASE_URL names,
migrates it, makes one trainer open every day with a 30-minute service, 50 clients each with
a 500-session package (and a ledger that already has 200 entries, so the balance sums a long
ledger), then books BENCH_BOOKINGS sessions each way through `booking_create` (the trainer's
page, API and portal all call it), interleaved so both see the same database, at distinct
free times. Prints the median and p95 in ms of each, the difference of the medians and
whether it is under the 2 ms budget (exit status 1 when it is not). The database is dropped
at the end (--keep keeps it).

Run from the repository root:
  DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres \
    .venv/bin/python bench/packages_booking.py
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from clients_search import admin_execute

BOOKINGS = int(os.environ.get("BENCH_BOOKINGS", "200"))
CLIENTS = 50
LEDGER_ENTRIES = 200
BUDGET_MS = 2.0


def database_urls() -> tuple[str, str, str]:
    admin_url = os.environ.get("DATABASE_URL", "")
    if not admin_url.startswith(("postgres://", "postgresql://")):
        sys.exit(
            "Set DATABASE_URL to a PostgreSQL URL, e.g. postgres://postgres@127.0.0.1:5432/postgres"
        )
    name = f"th_bench_packages_{os.getpid()}"
    parts = urlsplit(admin_url)
    return admin_url, urlunsplit(parts._replace(path=f"/{name}")), name


def summary(samples: list[float]) -> str:
    ordered = sorted(samples)
    p95 = ordered[int(len(ordered) * 0.95) - 1]
    return f"median {statistics.median(ordered):.2f} ms, p95 {p95:.2f} ms (n={len(ordered)})"


def run() -> int:
    from decimal import Decimal

    from django.core.management import call_command

    from trainerhub.accounts.models import User
    from trainerhub.clients.services import client_create
    from trainerhub.core.timezones import zone
    from trainerhub.packages.models import LedgerEntry
    from trainerhub.packages.services import package_create, package_sell
    from trainerhub.scheduling.models import WeeklyInterval
    from trainerhub.scheduling.purchase import NOTHING, Purchase
    from trainerhub.scheduling.services import booking_create, service_create

    call_command("migrate", verbosity=0)
    trainer = User.objects.create_user(
        "bench@example.com", "bench-password-123", name="Bench", timezone="Europe/London"
    )
    for weekday in range(7):
        WeeklyInterval.objects.create(trainer=trainer, weekday=weekday, start="06:00", end="22:00")
    service = service_create(
        trainer=trainer, name="PT", duration_minutes=30, price=Decimal("50"), currency="GBP"
    )
    package = package_create(
        trainer=trainer, name="Bench 500", sessions_count=500, price=Decimal("20000")
    )
    clients = [client_create(trainer=trainer, first_name=f"Bench {i}") for i in range(CLIENTS)]
    packages = {}
    for client in clients:
        cp = package_sell(trainer=trainer, package=package, client=client)
        LedgerEntry.objects.bulk_create(
            LedgerEntry(
                trainer=trainer,
                client_package=cp,
                kind="adjust",
                sessions=(1 if i % 2 else -1),
                reason="bench history",
            )
            for i in range(LEDGER_ENTRIES)
        )
        packages[client.pk] = cp.pk

    tz = zone(trainer.timezone)
    day0 = datetime.now(tz).date() + timedelta(days=1)
    starts = [
        datetime.combine(day0 + timedelta(days=i // 32), datetime.min.time(), tz).replace(
            hour=6 + (i % 32) // 2, minute=30 * (i % 2)
        )
        for i in range(2 * BOOKINGS + 20)
    ]
    if os.environ.get("BENCH_PROFILE"):
        import cProfile
        import pstats

        profiler = cProfile.Profile()
        for i, start in enumerate(starts[:60]):
            client = clients[i % CLIENTS]
            purchase = Purchase(client_package=packages[client.pk])
            profiler.enable()
            booking_create(
                trainer=trainer,
                client=client,
                service=service,
                start=start + timedelta(days=400),
                override_rules=True,
                purchase=purchase,
            )
            profiler.disable()
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(40)
        return 0
    with_credit: list[float] = []
    without: list[float] = []
    # The credit path's own time (its lock-and-read and its ledger insert), which the
    # difference of two medians only estimates on a busy machine.
    import trainerhub.packages.services as package_services

    credit_path: list[float] = []
    reserve = package_services.reserve_for_booking

    def timed_reserve(**kwargs):  # type: ignore[no-untyped-def]
        began = time.perf_counter()
        try:
            return reserve(**kwargs)
        finally:
            credit_path.append((time.perf_counter() - began) * 1000)

    package_services.reserve_for_booking = timed_reserve  # type: ignore[assignment]
    for i, start in enumerate(starts):
        client = clients[i % CLIENTS]
        credit = i % 2 == 0
        purchase = Purchase(client_package=packages[client.pk]) if credit else NOTHING
        began = time.perf_counter()
        booking_create(
            trainer=trainer,
            client=client,
            service=service,
            start=start,
            override_rules=True,
            purchase=purchase,
        )
        elapsed = (time.perf_counter() - began) * 1000
        if i < 20:
            continue  # warm-up: connection, caches, first plans
        (with_credit if credit else without).append(elapsed)

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts = {}
    for credit in (False, True):
        client = clients[0]
        purchase = Purchase(client_package=packages[client.pk]) if credit else NOTHING
        with CaptureQueriesContext(connection) as ctx:
            booking_create(
                trainer=trainer,
                client=client,
                service=service,
                start=starts[-1] + timedelta(days=30 + credit),
                override_rules=True,
                purchase=purchase,
            )
        counts[credit] = len(ctx.captured_queries)
        if os.environ.get("BENCH_SHOW_QUERIES"):
            for q in ctx.captured_queries:
                print(f"  {q['time']}  {q['sql'][:150]}")
    print(f"queries per booking: {counts[False]} without a package, {counts[True]} with a credit")
    plain = statistics.median(without)
    paid = statistics.median(with_credit)
    print(f"booking_create without a package: {summary(without)}")
    print(f"booking_create with a credit:     {summary(with_credit)}")
    print(f"the credit path itself (reserve_for_booking): {summary(credit_path[10:])}")
    verdict = "under" if paid - plain < BUDGET_MS else "OVER"
    print(
        f"the credit adds {paid - plain:.2f} ms to the median ({verdict} the {BUDGET_MS} ms budget)"
    )
    return 0 if paid - plain < BUDGET_MS else 1


def main() -> int:
    admin_url, bench_url, name = database_urls()
    admin_execute(admin_url, f'CREATE DATABASE "{name}"')
    try:
        os.environ["DATABASE_URL"] = bench_url
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
        os.environ.setdefault("LOG_LEVEL", "WARNING")
        import django

        django.setup()
        return run()
    finally:
        from django.db import connections

        connections.close_all()
        if "--keep" in sys.argv:
            print(f"kept database {name}")
        else:
            admin_execute(admin_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


if __name__ == "__main__":
    sys.exit(main())
