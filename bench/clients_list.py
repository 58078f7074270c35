"""Time the client list at 100,000 clients on PostgreSQL: search (accented broad terms too,
target <= 50 ms) and the list sorted by last visit or next booking (target <= 100 ms).

Fills a database of its own exactly as bench/clients_search.py does (its helpers, the same
seed), with BENCH_CLIENTS clients (default 100,000) and 1.2 bookings a client, then sets
the clients' last-visit and next-booking columns as the migration's backfill does (the
bulk insert bypasses the booking services that keep them). Prints, per search and per
ordering, PostgreSQL's own time of the list's two queries (count and first page) and the
wall time through the selector and through GET /api/v1/clients/, the query count of the
API list at page sizes 10 and 100, and the load average (figures taken while other work
runs are "under load").

Run from the repository root:
  DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/clients_list.py
"""

from __future__ import annotations

import os
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import clients_search as base

CLIENTS = int(os.environ.get("BENCH_CLIENTS", "100000"))
REPEATS = int(os.environ.get("BENCH_REPEATS", "20"))
SEARCHES = {
    **base.SEARCHES,
    "broad accented 'é'": "é",
    "broad accented 'müll'": "müll",
    "broad 'an'": "an",
}
ORDERINGS = ("name", "-last_visit", "last_visit", "next_booking", "-next_booking")


def backfill() -> None:
    from django.db.models import OuterRef, Subquery
    from django.utils import timezone

    from trainerhub.clients.models import Client
    from trainerhub.clients.selectors import ACTIVE
    from trainerhub.scheduling.models import Booking

    bookings = Booking.objects.filter(client_id=OuterRef("pk"))
    Client.objects.update(
        last_visit_at=Subquery(
            bookings.filter(status=Booking.Status.COMPLETED).order_by("-start").values("start")[:1]
        ),
        next_booking_at=Subquery(
            bookings.filter(status__in=ACTIVE, start__gt=timezone.now())
            .order_by("start")
            .values("start")[:1]
        ),
    )


def run() -> None:
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from rest_framework.test import APIClient
    from rest_framework_simplejwt.tokens import RefreshToken

    from trainerhub.clients.selectors import clients_search

    base.CLIENTS = CLIENTS
    base.PAST_BOOKINGS = CLIENTS * 11 // 10
    base.FUTURE_BOOKINGS = CLIENTS // 10
    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    trainer = base.fill(random.Random(base.SEED))
    backfill()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    print(
        f"filled {CLIENTS} clients and {base.PAST_BOOKINGS + base.FUTURE_BOOKINGS} bookings "
        f"in {time.perf_counter() - started:.1f} s"
    )
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {RefreshToken.for_user(trainer).access_token}")

    def page(**kwargs: str) -> None:
        qs = clients_search(trainer=trainer, **kwargs)  # type: ignore[arg-type]
        qs.count()
        list(qs[:25])

    for label, query in SEARCHES.items():
        hits = clients_search(trainer=trainer, query=query).count()
        db = [base.server_ms(clients_search(trainer=trainer, query=query)) for _ in range(REPEATS)]
        selector = base.timed(lambda q=query: page(query=q), repeats=REPEATS)
        through_api = base.timed(
            lambda q=query: api.get("/api/v1/clients/", {"search": q, "page_size": 25}),
            repeats=REPEATS,
        )
        print(
            f"search {label:26s} {hits:6d} hits | database {base.summary(db)} | "
            f"selector {base.summary(selector)} | API {base.summary(through_api)}"
        )
    for ordering in ORDERINGS:
        db = [
            base.server_ms(clients_search(trainer=trainer, ordering=ordering))
            for _ in range(REPEATS)
        ]
        selector = base.timed(lambda o=ordering: page(ordering=o), repeats=REPEATS)
        through_api = base.timed(
            lambda o=ordering: api.get("/api/v1/clients/", {"ordering": o, "page_size": 25}),
            repeats=REPEATS,
        )
        print(
            f"list ordering={ordering:14s} | database {base.summary(db)} | "
            f"selector {base.summary(selector)} | API {base.summary(through_api)}"
        )
    for size in (10, 100):
        with CaptureQueriesContext(connection) as ctx:
            api.get("/api/v1/clients/", {"page_size": size, "ordering": "-last_visit"})
        print(f"GET /api/v1/clients/?page_size={size}: {len(ctx.captured_queries)} queries")
    print(
        f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs "
        "(wall times include waiting for a CPU)"
    )


def main() -> None:
    admin_url, bench_url, name = base.database_urls()
    name = name.replace("th_bench_crm_", "th_bench_list_")
    bench_url = bench_url.replace("th_bench_crm_", "th_bench_list_")
    base.admin_execute(admin_url, f'CREATE DATABASE "{name}"')
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
            base.admin_execute(admin_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


if __name__ == "__main__":
    main()
