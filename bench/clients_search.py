"""Time client search with 10,000 clients on PostgreSQL (the CRM's < 50 ms target).

Creates a database of its own (th_bench_crm_<pid>) next to the one DATABASE_URL names,
migrates it, fills it (fixed seed) with one trainer's 10,000 clients (names with accents,
emails, phones, tags) and 12,000 bookings, then times searches (a name fragment, an accented
fragment, part of an email, phone digits) through the selector (count + first page of 25,
what the list shows) and through GET /api/v1/clients/?search=, prints median and p95 in ms,
whether the trigram index is used, and the query count of the list at page sizes 10 and 100.
The database is dropped at the end.

Run from the repository root:
  DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/clients_search.py
"""

from __future__ import annotations

import os
import random
import statistics
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

SEED = 20261122
CLIENTS = int(os.environ.get("BENCH_CLIENTS", "10000"))
PAST_BOOKINGS = 11_000
FUTURE_BOOKINGS = 1_000
REPEATS = int(os.environ.get("BENCH_REPEATS", "40"))
FIRST = [
    "Anna",
    "Zoë",
    "José",
    "Léa",
    "Björn",
    "Chloé",
    "Mateo",
    "Sofía",
    "Oliver",
    "Amélie",
    "Noah",
    "Emma",
    "Jürgen",
    "Inès",
    "Liam",
    "Mia",
    "Łukasz",
    "Ana",
    "Hugo",
    "Renée",
]
LAST = [
    "Müller",
    "García",
    "Núñez",
    "Smith",
    "Dubois",
    "Öztürk",
    "Nowak",
    "Rossi",
    "Jones",
    "Lefèvre",
    "Schröder",
    "Martínez",
    "Brown",
    "Ørsted",
    "Kowalski",
    "Fernández",
    "Wilson",
    "Bernard",
    "Häkkinen",
    "Taylor",
]
SEARCHES = {
    "name fragment 'mart'": "mart",
    "accented 'SCHRÖ'": "SCHRÖ",
    "email part 'ex4321'": "ex4321",
    "phone digits '7700 9012'": "7700 9012",
    "two words 'zoe mull'": "zoe mull",
}


def database_urls() -> tuple[str, str, str]:
    admin_url = os.environ.get("DATABASE_URL", "")
    if not admin_url.startswith(("postgres://", "postgresql://")):
        sys.exit(
            "Set DATABASE_URL to a PostgreSQL URL, e.g. postgres://postgres@127.0.0.1:5432/postgres"
        )
    name = f"th_bench_crm_{os.getpid()}"
    parts = urlsplit(admin_url)
    return admin_url, urlunsplit(parts._replace(path=f"/{name}")), name


def admin_execute(admin_url: str, sql: str) -> None:
    import psycopg

    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(sql)


def fill(rng: random.Random) -> object:
    from trainerhub.accounts.models import User
    from trainerhub.clients.models import Client, ClientTag, Tag
    from trainerhub.clients.search import build_search_text
    from trainerhub.scheduling.models import Booking, Service, Session

    trainer = User.objects.create_user(
        "bench@example.com", "bench-password-123", name="Bench", timezone="Europe/London"
    )
    tags = [
        Tag.objects.create(trainer=trainer, name=n)
        for n in ("VIP", "often cancels", "referral: gym", "online")
    ]
    clients = []
    for i in range(CLIENTS):
        c = Client(
            trainer=trainer,
            first_name=rng.choice(FIRST),
            last_name=rng.choice(LAST),
            email=f"client{i}.ex{i:04d}@example.com",
            phone=f"+4477009{i:05d}",
            goals="Get stronger",
            health_notes="private",
            status=rng.choice(["active"] * 8 + ["inactive", "archived"]),
        )
        c.search_text = build_search_text(c)
        clients.append(c)
    Client.objects.bulk_create(clients, batch_size=2000)
    ClientTag.objects.bulk_create(
        [
            ClientTag(trainer=trainer, client=c, tag=rng.choice(tags))
            for c in clients
            if rng.random() < 0.4
        ],
        batch_size=2000,
    )
    service = Service.objects.create(trainer=trainer, name="PT", duration_minutes=60)
    now = datetime.now(UTC).replace(minute=0, second=0, microsecond=0)
    starts = [now - timedelta(hours=2 * (i + 1)) for i in range(PAST_BOOKINGS)]
    starts += [now + timedelta(hours=2 * (i + 1)) for i in range(FUTURE_BOOKINGS)]
    sessions = [
        Session(
            trainer=trainer,
            service=service,
            start=s,
            end=s + timedelta(hours=1),
            blocked_start=s,
            blocked_end=s + timedelta(hours=1),
        )
        for s in starts
    ]
    Session.objects.bulk_create(sessions, batch_size=2000)
    bookings = []
    for session in sessions:
        future = session.start > now
        status = "confirmed" if future else rng.choice(["completed"] * 8 + ["cancelled", "no_show"])
        bookings.append(
            Booking(
                trainer=trainer,
                session=session,
                client=rng.choice(clients),
                service=service,
                start=session.start,
                end=session.end,
                status=status,
                late_cancellation=status == "cancelled" and rng.random() < 0.3,
            )
        )
    Booking.objects.bulk_create(bookings, batch_size=2000)
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return trainer


def summary(samples: list[float]) -> str:
    samples = sorted(samples)
    p95 = samples[min(len(samples) - 1, round(0.95 * (len(samples) - 1)))]
    return f"median {statistics.median(samples):6.2f} ms  p95 {p95:6.2f} ms"


def server_ms(qs) -> float:  # type: ignore[no-untyped-def]
    """PostgreSQL's own execution time of the list's two queries (count and first page):
    the figure that does not include Python, the network or a busy machine's scheduling."""
    import re

    from django.db import connection

    total = 0.0
    count_sql, count_params = qs.order_by().values("pk").query.sql_with_params()
    page_sql, page_params = qs[:25].query.sql_with_params()
    for sql, params in (
        (f"SELECT COUNT(*) FROM ({count_sql}) AS c", count_params),
        (page_sql, page_params),
    ):
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN (ANALYZE, TIMING OFF) " + sql, params)
            plan = "\n".join(row[0] for row in cursor.fetchall())
        total += float(re.search(r"Execution Time: ([\d.]+) ms", plan).group(1))  # type: ignore[union-attr]
    return total


def timed(fn, repeats: int = REPEATS) -> list[float]:  # type: ignore[no-untyped-def]
    fn()  # warm up
    out = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        out.append((time.perf_counter() - start) * 1000)
    return out


def run() -> None:
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from rest_framework.test import APIClient
    from rest_framework_simplejwt.tokens import RefreshToken

    from trainerhub.clients.search import query_terms
    from trainerhub.clients.selectors import clients_search

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    trainer = fill(random.Random(SEED))
    print(
        f"filled {CLIENTS} clients and {PAST_BOOKINGS + FUTURE_BOOKINGS} bookings "
        f"in {time.perf_counter() - started:.1f} s"
    )
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {RefreshToken.for_user(trainer).access_token}")

    for label, query in SEARCHES.items():

        def through_selector(q: str = query) -> None:
            qs = clients_search(trainer=trainer, query=q)
            qs.count()
            list(qs[:25])

        def through_api(q: str = query) -> None:
            response = api.get("/api/v1/clients/", {"search": q, "page_size": 25})
            assert response.status_code == 200, response.content[:200]

        hits = clients_search(trainer=trainer, query=query).count()
        db = [server_ms(clients_search(trainer=trainer, query=query)) for _ in range(REPEATS)]
        print(
            f"{label:26s} {hits:4d} hits | database {summary(db)} | "
            f"selector {summary(timed(through_selector))} | API {summary(timed(through_api))}"
        )

    with connection.cursor() as cursor:
        qs = clients_search(trainer=trainer, query="schrö").values("pk")
        sql, params = qs.query.sql_with_params()
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    print(
        "trigram index used:",
        "clients_client_search_trgm" in plan,
        f"(terms {query_terms('schrö')})",
    )

    print(
        f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs "
        "(wall times include waiting for a CPU)"
    )
    for ordering in ("name", "-last_visit", "next_booking"):
        db = [server_ms(clients_search(trainer=trainer, ordering=ordering)) for _ in range(10)]
        print(f"list without search, ordering={ordering:13s} database {summary(db)}")
    for size in (10, 100):
        with CaptureQueriesContext(connection) as ctx:
            api.get("/api/v1/clients/", {"page_size": size, "ordering": "-last_visit"})
        print(f"GET /api/v1/clients/?page_size={size}: {len(ctx.captured_queries)} queries")
    no_search = timed(lambda: api.get("/api/v1/clients/", {"page_size": 50}), repeats=20)
    print(f"GET /api/v1/clients/ (no search, 50 per page, by name): {summary(no_search)}")
    by_visit = timed(
        lambda: api.get("/api/v1/clients/", {"page_size": 50, "ordering": "-last_visit"}),
        repeats=20,
    )
    print(f"GET /api/v1/clients/ (no search, 50 per page, by last visit): {summary(by_visit)}")


def main() -> None:
    admin_url, bench_url, name = database_urls()
    admin_execute(admin_url, f'CREATE DATABASE "{name}"')
    try:
        os.environ["DATABASE_URL"] = bench_url
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
        os.environ.setdefault("LOG_LEVEL", "WARNING")
        import django

        django.setup()
        run()
    finally:
        from django.db import connections

        connections.close_all()
        if "--keep" in sys.argv:
            print(f"kept database {name}")
        else:
            admin_execute(admin_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


if __name__ == "__main__":
    main()
