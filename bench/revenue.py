"""Time billing's revenue figures for a trainer with 20,000 bookings and 5,000 payments on
PostgreSQL (issue 12's < 50 ms target).

Creates a database of its own (th_bench_revenue_<pid>) next to the one DATABASE_URL names,
migrates it, fills it (fixed seed) with one trainer's 400 clients, 20,000 bookings over two
years (most completed) and 5,000 payments (a tenth of them partly refunded), then times
`billing.revenue.revenue` for the last 12 months grouped by month and by service (cash,
earned, outstanding, rows, top clients) and GET /api/v1/revenue/, prints median and p95 in
ms, the figures themselves, and checks that cash equals payments minus refunds to the cent.
The database is dropped at the end.

Run from the repository root:
  DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/revenue.py
"""

from __future__ import annotations

import os
import random
import statistics
import sys
import time
from datetime import datetime, timedelta
from decimal import Decimal
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

SEED = 20261202
CLIENTS = 400
BOOKINGS = 20_000
PAYMENTS = 5_000
REPEATS = int(os.environ.get("BENCH_REPEATS", "30"))
TARGET_MS = 50.0


def database_urls() -> tuple[str, str, str]:
    admin_url = os.environ.get("DATABASE_URL", "")
    if not admin_url.startswith(("postgres://", "postgresql://")):
        sys.exit(
            "Set DATABASE_URL to a PostgreSQL URL, e.g. postgres://postgres@127.0.0.1:5432/postgres"
        )
    name = f"th_bench_revenue_{os.getpid()}"
    parts = urlsplit(admin_url)
    return admin_url, urlunsplit(parts._replace(path=f"/{name}")), name


def admin_execute(admin_url: str, sql: str) -> None:
    import psycopg

    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(sql)


def fill(rng: random.Random, now: datetime) -> object:
    from trainerhub.accounts.models import User
    from trainerhub.billing.models import Payment
    from trainerhub.clients.models import Client
    from trainerhub.scheduling.models import Booking, Service, Session

    trainer = User.objects.create_user(
        "bench@example.com",
        "bench-password-123",
        name="Bench",
        timezone="Europe/London",
        currency="GBP",
    )
    services = [
        Service.objects.create(
            trainer=trainer, name=n, duration_minutes=60, price=Decimal(p), currency="GBP"
        )
        for n, p in (("Personal training", "60.00"), ("Duo", "80.00"), ("Online check-in", "30.00"))
    ]
    clients = Client.objects.bulk_create(
        [
            Client(trainer=trainer, first_name=f"Client{i}", last_name="Bench")
            for i in range(CLIENTS)
        ]
    )
    first = now - timedelta(days=730)
    sessions, bookings = [], []
    for i in range(BOOKINGS):
        start = (first + timedelta(hours=i * 730 * 24 // BOOKINGS)).replace(minute=0, second=0)
        service = rng.choice(services)
        sessions.append(
            Session(
                trainer=trainer,
                service=service,
                start=start,
                end=start + timedelta(hours=1),
                blocked_start=start,
                blocked_end=start + timedelta(hours=1),
                active=start > now,
            )
        )
    Session.objects.bulk_create(sessions, batch_size=2000)
    for s in sessions:
        past = s.start < now
        status = rng.choice(["completed"] * 8 + ["cancelled", "no_show"]) if past else "confirmed"
        bookings.append(
            Booking(
                trainer=trainer,
                session=s,
                client=rng.choice(clients),
                service=s.service,
                start=s.start,
                end=s.end,
                status=status,
                price=s.service.price,
                currency="GBP",
            )
        )
    Booking.objects.bulk_create(bookings, batch_size=2000)
    completed = [b for b in bookings if b.status == "completed"]
    paid = rng.sample(completed, PAYMENTS)
    payments = [
        Payment(
            trainer=trainer,
            client_id=b.client_id,
            booking=b,
            amount=b.price,
            currency="GBP",
            method=rng.choice(["cash", "bank_transfer", "card_terminal"]),
            paid_at=b.start + timedelta(hours=2),
        )
        for b in paid
    ]
    Payment.objects.bulk_create(payments, batch_size=2000)
    refunds = [
        Payment(
            trainer=trainer,
            client_id=p.client_id,
            booking_id=p.booking_id,
            refund_of=p,
            amount=-Decimal("12.50"),
            currency="GBP",
            method=p.method,
            paid_at=p.paid_at + timedelta(days=1),
        )
        for p in rng.sample(payments, PAYMENTS // 10)
    ]
    Payment.objects.bulk_create(refunds, batch_size=2000)
    return trainer


def summary(samples: list[float]) -> str:
    samples = sorted(samples)
    p95 = samples[max(int(len(samples) * 0.95) - 1, 0)]
    return f"median {statistics.median(samples):.1f} ms, p95 {p95:.1f} ms"


def timed(fn, repeats: int = REPEATS) -> list[float]:  # type: ignore[no-untyped-def]
    fn()  # warm up
    samples = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - t0) * 1000)
    return samples


def run() -> int:
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone
    from rest_framework.test import APIClient
    from rest_framework_simplejwt.tokens import RefreshToken

    from trainerhub.billing import revenue

    call_command("migrate", verbosity=0)
    now = timezone.now()
    t0 = time.perf_counter()
    trainer: object = fill(random.Random(SEED), now)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(f"filled {BOOKINGS} bookings, {PAYMENTS} payments in {time.perf_counter() - t0:.1f} s")
    today = timezone.localdate()
    first = (today.replace(day=1) - timedelta(days=335)).replace(day=1)

    def figures(group: str) -> object:
        return revenue.revenue(
            trainer=trainer, first_day=first, last_day=today, group=group, now=now
        )

    import cProfile  # noqa: F401

    if "--explain" in sys.argv:
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as ctx:
            figures("month")
        for q in ctx.captured_queries:
            print(q["time"], q["sql"][:300])
    by_month = timed(lambda: figures("month"))
    by_service = timed(lambda: figures("service"))
    result = figures("month")
    from django.conf import settings

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    api = APIClient()
    token = RefreshToken.for_user(trainer).access_token  # type: ignore[arg-type]
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    url = f"/api/v1/revenue/?from={first.isoformat()}&to={today.isoformat()}&group=month"
    through_api = timed(lambda: api.get(url))

    start, end = revenue.local_day_bounds(trainer.timezone, first, today)  # type: ignore[attr-defined]
    ledger = revenue.ledger_cash(trainer=trainer, currency="GBP", start=start, end=end)  # type: ignore[arg-type]
    print(f"revenue() by month, 12 months: {summary(by_month)}")
    print(f"revenue() by service, 12 months: {summary(by_service)}")
    print(f"GET /api/v1/revenue/ (month): {summary(through_api)}")
    print(
        f"figures: cash {result.cash} GBP, earned {result.earned} GBP, "  # type: ignore[attr-defined]
        f"outstanding {result.outstanding} GBP, {len(result.rows)} months"  # type: ignore[attr-defined]
    )
    reconciled = ledger == result.cash  # type: ignore[attr-defined]
    print(f"reconciles (payments - refunds == cash): {'yes' if reconciled else 'NO'} ({ledger})")
    ok = statistics.median(by_month) < TARGET_MS and statistics.median(by_service) < TARGET_MS
    print(f"target < {TARGET_MS:.0f} ms: {'met' if ok else 'MISSED'}")
    return 0 if ok and reconciled else 1


def main() -> None:
    admin_url, bench_url, name = database_urls()
    admin_execute(admin_url, f'CREATE DATABASE "{name}"')
    code = 1
    try:
        os.environ["DATABASE_URL"] = bench_url
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
        os.environ.setdefault("LOG_LEVEL", "WARNING")
        import django

        django.setup()
        code = run()
    finally:
        from django.db import connections

        connections.close_all()
        if "--keep" in sys.argv:
            print(f"kept database {name}")
        else:
            admin_execute(admin_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    sys.exit(code)


if __name__ == "__main__":
    main()
