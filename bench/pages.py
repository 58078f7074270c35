"""Time every main trainer page, the way `make run` serves it, on the demo data or on three
years of one trainer's practice.

Default: the demo practice of `manage.py seed_demo` in a throwaway SQLite file (DATA_DIR is a
temporary folder: the dev database is untouched). `--three-years`: the practice of
bench/insights.py instead (trainerhub/insights/generate.py, fixed seed: 1,500 clients, about
20,000 sessions over 3 years, weekly hours Mon-Sat 07:00-21:00), in SQLite, or in a database
of its own next to DATABASE_URL's when that is PostgreSQL (dropped afterwards). Signs in as
the trainer and requests each page through Django's test client, printing the median and
p95 in ms and the number of SQL queries. Target (issue 20): every page under 100 ms.

Run from the repository root:
  .venv/bin/python bench/pages.py
  .venv/bin/python bench/pages.py --three-years
  DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres \
    .venv/bin/python bench/pages.py --three-years
"""

from __future__ import annotations

import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import insights
import slots_api

# A throwaway folder for the SQLite file and key: the dev data is never touched.
DATA_DIR = tempfile.mkdtemp(prefix="th-bench-pages-")
REPEATS = int(os.environ.get("BENCH_REPEATS", "30"))
THREE_YEARS = "--three-years" in sys.argv
PAGES = [
    ("dashboard", "/"),
    ("dashboard, month", "/?period=month"),
    ("calendar", "/scheduling/calendar/"),
    ("calendar events, one week", "/scheduling/calendar/events/?start={week_start}&end={week_end}"),
    ("bookings list", "/scheduling/bookings/"),
    ("clients list", "/clients/"),
    ("client page", "/clients/{client_id}/"),
    ("weekly hours", "/scheduling/settings/hours/"),
    ("services", "/scheduling/settings/services/"),
    ("notifications", "/notifications/"),
    ("public booking page", "/book/{slug}/"),
]


def _recorder(queries: list[str]):
    def record(execute, sql, params, many, context):
        queries.append(sql)
        return execute(sql, params, many, context)

    return record


def _postgres_database() -> tuple[str | None, str]:
    """(admin URL, name) of a database of its own next to DATABASE_URL's (bench/slots_api.py's
    helpers), when that is PostgreSQL and the three-years practice is asked for; else
    nothing (SQLite in DATA_DIR)."""
    if THREE_YEARS and os.environ.get("DATABASE_URL", "").startswith("postgres"):
        admin_url, bench_url, name = slots_api.database_urls()
        slots_api.admin_execute(admin_url, f'CREATE DATABASE "{name}"')
        os.environ["DATABASE_URL"] = bench_url
        return admin_url, name
    os.environ.pop("DATABASE_URL", None)
    return None, ""


def main() -> None:
    os.environ["DATA_DIR"] = DATA_DIR
    admin_url, name = _postgres_database()
    try:
        _main()
    finally:
        if admin_url:
            from django.db import connections

            connections.close_all()
            slots_api.admin_execute(admin_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _main() -> None:
    os.environ.setdefault("ALLOWED_HOSTS", "testserver")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from datetime import timedelta

    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.db.models import Count
    from django.test import Client
    from django.utils import timezone

    from trainerhub.accounts.models import User
    from trainerhub.clients.models import Client as CrmClient

    settings.STORAGES["staticfiles"] = {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
    }
    call_command("migrate", verbosity=0)
    if THREE_YEARS:
        started = time.perf_counter()
        trainer, _ = insights.practice()
        from trainerhub.scheduling.models import Booking

        data = (
            f"three years of one trainer ({connection.vendor}): "
            f"{CrmClient.objects.filter(trainer=trainer).count()} clients, "
            f"{Booking.objects.filter(trainer=trainer).count()} bookings, "
            f"filled in {time.perf_counter() - started:.0f} s"
        )
    else:
        call_command("seed_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
        trainer = User.objects.get(email="demo@trainerhub.local")
        data = "the demo data (SQLite)"
    browser = Client()
    browser.force_login(trainer)
    today = timezone.localdate()
    values = {
        "week_start": today - timedelta(days=today.weekday()),
        "week_end": today + timedelta(days=7 - today.weekday()),
        # The client with the longest history: their page is the slowest one.
        "client_id": CrmClient.objects.filter(trainer=trainer)
        .annotate(n=Count("bookings"))
        .order_by("-n", "pk")
        .first()
        .pk,
        "slug": trainer.slug,
    }
    print(f"trainer pages on {data}, {REPEATS} requests each")
    worst = 0.0
    for label, template in PAGES:
        url = template.format(**values)
        response = browser.get(url)
        assert response.status_code == 200, (url, response.status_code)
        # request_started resets Django's query log, so count with a wrapper instead.
        queries: list[str] = []
        with connection.execute_wrapper(_recorder(queries)):
            browser.get(url)
        times = []
        for _ in range(REPEATS):
            started = time.perf_counter()
            browser.get(url)
            times.append((time.perf_counter() - started) * 1000)
        times.sort()
        median, p95 = statistics.median(times), times[int(len(times) * 0.95) - 1]
        worst = max(worst, median)
        print(f"  {label:<28} median {median:6.1f} ms  p95 {p95:6.1f} ms  {len(queries)} queries")
    print(f"slowest median {worst:.1f} ms (target < 100 ms); load average {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    try:
        main()
    finally:
        shutil.rmtree(DATA_DIR, ignore_errors=True)
