"""Time a 5,000-row client CSV import on the default database while another trainer keeps
writing, the case of issue 19 item 6 (SQLite: one writer at a time).

Creates a test database of its own (pytest-django's naming: a test- file under DATA_DIR for
SQLite, test_<name> on PostgreSQL), previews and queues the file as the import page does,
runs the worker's pass in a thread and meanwhile writes one client for another trainer
every 0.2 s; prints the web request's part (preview, queue), the worker's time and the other
trainer's waits (max and median). The database is dropped at the end.

Run from the repository root:
  .venv/bin/python bench/client_import.py
  DATABASE_URL=postgres://postgres@127.0.0.1:5432/th_bench .venv/bin/python bench/client_import.py
"""

from __future__ import annotations

import os
import statistics
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

ROWS = 5_000


def main() -> None:
    import django

    django.setup()
    from django.db import connection
    from django.test.runner import DiscoverRunner

    runner = DiscoverRunner(verbosity=0)
    old = runner.setup_databases()
    try:
        run(connection)
    finally:
        runner.teardown_databases(old)


def run(connection) -> None:
    from trainerhub.accounts.tests.factories import TrainerFactory
    from trainerhub.clients import importing
    from trainerhub.clients.models import Client
    from trainerhub.clients.services import client_create

    alice = TrainerFactory(email="alice@example.com", slug="alice")
    bob = TrainerFactory(email="bob@example.com", slug="bob")
    lines = ["First name,Last name,Email", *(f"P{i},Row,p{i}@example.com" for i in range(ROWS))]
    started = time.monotonic()
    preview = importing.import_preview(trainer=alice, data=("\n".join(lines) + "\n").encode())
    previewed = time.monotonic()
    importing.import_queue(trainer=alice, token=preview.token)
    queued = time.monotonic()
    print(f"web: preview {previewed - started:.1f} s, queue {queued - previewed:.2f} s")
    done = threading.Event()

    def worker() -> None:
        t0 = time.monotonic()
        rows = importing.import_run_due(budget_seconds=3600)
        print(
            f"worker: {rows} rows in {time.monotonic() - t0:.1f} s "
            f"(batches of {importing.IMPORT_BATCH})"
        )
        connection.close()
        done.set()

    thread = threading.Thread(target=worker)
    thread.start()
    waits: list[float] = []
    while not done.is_set():
        t0 = time.monotonic()
        client_create(trainer=bob, first_name=f"B{len(waits)}", last_name="Bob", actor="trainer")
        waits.append(time.monotonic() - t0)
        time.sleep(0.2)
    thread.join()
    imported = Client.objects.filter(trainer=alice).count()
    print(
        f"other trainer: {len(waits)} writes, max wait {max(waits):.2f} s, "
        f"median {statistics.median(waits):.3f} s; imported {imported}"
    )


if __name__ == "__main__":
    main()
