"""Time every insight for a trainer with three years of data (the issue's < 150 ms target).

Fills a database of its own (fixed seed) through trainerhub/insights/generate.py: one trainer
(weekly hours Mon-Sat 07:00-21:00), 1,500 clients and about 20,000 sessions over 3 years
(most clients come for a while and stop, as real ones do; some are lapsing now) and 8,000
payments (on completed sessions; a tenth of them partly refunded). Then times each insight
through the same function the page and the API call (report.section), for the last 12 months and for
the whole 3 years, plus the clients at risk, the slot explainer and a few assistant
patterns; prints median and p95 in ms and the query count of each.

Run from the repository root:
  .venv/bin/python bench/insights.py sqlite
  DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres \
    .venv/bin/python bench/insights.py postgres
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

CLIENTS = 1500
PAYMENTS = 8000
DAYS = 3 * 365
REPEATS = int(os.environ.get("BENCH_REPEATS", "15"))
TARGET_MS = 150


def summary(samples: list[float]) -> str:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]
    return f"median {statistics.median(ordered):6.1f} ms  p95 {p95:6.1f} ms"


def timed(fn) -> tuple[list[float], int]:  # type: ignore[no-untyped-def]
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        fn()  # warm up, and count its queries
    out = []
    for _ in range(REPEATS):
        start = time.perf_counter()
        fn()
        out.append((time.perf_counter() - start) * 1000)
    return out, len(ctx.captured_queries)


def add_payments(trainer) -> int:  # type: ignore[no-untyped-def]
    """PAYMENTS payments of completed sessions (bulk rows, fixed seed), a tenth of them
    partly refunded (a negative row naming it)."""
    import random
    from datetime import timedelta
    from decimal import Decimal

    from trainerhub.billing.models import Payment
    from trainerhub.scheduling.models import Booking

    rng = random.Random(20261202)
    done = list(
        Booking.objects.filter(trainer=trainer, status=Booking.Status.COMPLETED)
        .order_by("pk")
        .values_list("pk", "client_id", "price", "currency", "start")
    )
    rows = [
        Payment(
            trainer=trainer,
            client_id=client_id,
            booking_id=pk,
            amount=price or Decimal("50.00"),
            currency=currency,
            method=rng.choice(["cash", "bank_transfer", "card_terminal"]),
            paid_at=start + timedelta(hours=2),
        )
        for pk, client_id, price, currency, start in rng.sample(done, min(PAYMENTS, len(done)))
    ]
    Payment.objects.bulk_create(rows, batch_size=2000)
    refunds = [
        Payment(
            trainer=trainer,
            client_id=p.client_id,
            booking_id=p.booking_id,
            refund_of=p,
            amount=-Decimal("12.50"),
            currency=p.currency,
            method=p.method,
            paid_at=p.paid_at + timedelta(days=1),
        )
        for p in rng.sample(rows, len(rows) // 10)
    ]
    Payment.objects.bulk_create(refunds, batch_size=2000)
    return len(rows) + len(refunds)


def practice():  # type: ignore[no-untyped-def]
    """The trainer of three years (weekly hours Mon-Sat 07:00-21:00, the fixed seed) and what
    generate() made; bench/pages.py --three-years times the pages on the same practice."""
    from datetime import time as wall

    from trainerhub.accounts.tests.factories import TrainerFactory
    from trainerhub.insights.generate import generate
    from trainerhub.scheduling import services as scheduling

    trainer = TrainerFactory(email="bench@example.com", slug="bench", timezone="Europe/London")
    for weekday in range(6):
        scheduling.weekly_interval_create(
            trainer=trainer, weekday=weekday, start=wall(7), end=wall(21)
        )
    made = generate(
        trainer,
        clients=CLIENTS,
        days=DAYS,
        planted_share=0.08,
        churned_share=0.72,
        visits_per_client=44,
        seed=20261202,
    )
    return trainer, made


def run(vendor: str) -> None:
    from datetime import timedelta

    from django.core.management import call_command
    from django.utils import timezone

    from trainerhub.insights import report, risk
    from trainerhub.insights.assistant import patterns
    from trainerhub.scheduling import explain
    from trainerhub.scheduling.models import Booking, Service

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    trainer, made = practice()
    bookings = Booking.objects.filter(trainer=trainer).count()
    payments = add_payments(trainer)
    print(
        f"{vendor}: {len(made.clients)} clients, {made.sessions} sessions ({bookings} bookings), "
        f"{payments} payments "
        f"over {DAYS} days, filled in {time.perf_counter() - started:.1f} s"
    )
    today = timezone.localdate()
    three_years = {"from": (today - timedelta(days=DAYS - 1)).isoformat(), "to": today.isoformat()}
    worst = 0.0
    rows = []
    for label, params in (("12 months", {"period": "12m"}), ("3 years", three_years)):
        for name in report.SECTIONS:
            if name == "at-risk" and label == "3 years":
                continue
            samples, queries = timed(
                lambda n=name, p=params: report.section(n, trainer=trainer, params=p)
            )
            worst = max(worst, statistics.median(samples))
            rows.append(f"  {name:14s} {label:9s} {summary(samples)}  {queries} queries")
    service = Service.objects.filter(trainer=trainer).first()
    start = timezone.now().replace(minute=0, second=0, microsecond=0) + timedelta(days=2)
    samples, queries = timed(lambda: explain.explain(trainer=trainer, service=service, start=start))
    rows.append(f"  {'slot explain':14s} {'':9s} {summary(samples)}  {queries} queries")
    for question in (
        "Who booked most last year?",
        "Revenue by month this year",
        "Which clients are at risk?",
    ):
        samples, queries = timed(lambda q=question: patterns.understand(trainer, q))
        worst = max(worst, statistics.median(samples))
        rows.append(f"  {question[:26]:26s}  {summary(samples)}  {queries} queries")
    print("\n".join(rows))
    flagged = {f.client for f in risk.flags(trainer=trainer)}
    print(
        f"at risk or lapsed: {len(flagged)}; planted {len(made.planted)}, of them flagged "
        f"{len(flagged & made.planted)}, others flagged {len(flagged - made.planted)}"
    )
    print(
        f"slowest median {worst:.1f} ms (target < {TARGET_MS} ms); load average "
        f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs"
    )


def main() -> None:
    vendor = sys.argv[1] if len(sys.argv) > 1 else "sqlite"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    admin_url = name = ""
    if vendor == "postgres":
        admin_url = os.environ.get("DATABASE_URL", "")
        if not admin_url.startswith(("postgres://", "postgresql://")):
            sys.exit("Set DATABASE_URL to a PostgreSQL URL for the postgres run.")
        import psycopg

        name = f"th_bench_insights_{os.getpid()}"
        with psycopg.connect(admin_url, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        os.environ["DATABASE_URL"] = urlunsplit(urlsplit(admin_url)._replace(path=f"/{name}"))
    else:
        folder = tempfile.mkdtemp(prefix="th_bench_insights_")
        os.environ["DATABASE_URL"] = f"sqlite:///{folder}/bench.sqlite3"
    try:
        import django

        django.setup()
        run(vendor)
    finally:
        from django.db import connections

        connections.close_all()
        if name:
            import psycopg

            with psycopg.connect(admin_url, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


if __name__ == "__main__":
    main()
