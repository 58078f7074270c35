"""The single-machine background worker: reminder sweep + dispatcher every minute.

`make run` starts it next to the web server. Stop it with Ctrl-C or SIGTERM: it finishes the
message in hand, then exits. With TASK_BACKEND=celery, run Celery's worker and beat instead.
"""

from __future__ import annotations

import os
import signal
import threading
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import close_old_connections
from django.utils import timezone

from trainerhub.core.backups.rotation import daily_backup_in_worker
from trainerhub.core.heartbeat import heartbeat_beat
from trainerhub.notifications.worker import tick


class Command(BaseCommand):
    help = "Send due notifications and write reminders, every --interval seconds."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--once", action="store_true", help="Run one tick and exit.")
        parser.add_argument("--interval", type=float, default=60.0)
        parser.add_argument("--batch", type=int, default=50, help="Rows claimed at a time.")

    def handle(
        self, *args: Any, once: bool = False, interval: float = 60.0, batch: int = 50, **opts: Any
    ) -> None:
        if settings.TASK_BACKEND == "celery" and not once:
            self.stdout.write(
                "TASK_BACKEND=celery: run `celery -A config.celery worker` and "
                "`celery -A config.celery beat` instead of this worker."
            )
            return
        stop = threading.Event()
        for sig in (signal.SIGTERM, signal.SIGINT):
            signal.signal(sig, lambda *_: stop.set())
        after_send = _test_crash_hook()
        self.stdout.write(f"Worker started (every {interval:g} s).")
        while not stop.is_set():
            close_old_connections()
            stats = tick(after_send=after_send, batch=batch)
            heartbeat_beat()  # /healthz reports a worker that stopped passing
            if once:
                self.stdout.write(f"sent={stats.sent} claimed={stats.claimed} ids={stats.ids}")
                return
            daily_backup_in_worker(timezone.now())  # SQLite only; logs a failure, never raises
            stop.wait(interval)
        self.stdout.write("Worker stopped.")


def _test_crash_hook():
    """TRAINERHUB_CRASH_AFTER_SEND=1 kills the process right after a message is handed over
    and before it is marked sent: the crash the exactly-once tests simulate."""
    if os.environ.get("TRAINERHUB_CRASH_AFTER_SEND") != "1":
        return None

    def die(_row: object) -> None:
        os._exit(17)

    return die
