"""Periodic work that apps above the worker register: the worker's tick and Celery beat run
the same functions.

The worker lives in notifications, below packages, billing and the other money and coaching
apps, so it cannot import their jobs; each app registers its own at `AppConfig.ready()`:

    periodic.register("packages.expire_due", expire_due)

A job takes the moment to act as of (`now`, aware UTC; None means the current time), must be
idempotent (a second run at the same moment changes nothing) and safe when two workers run it
at once (lock or claim rows in the database), and returns how many things it changed. Each
job runs at most once per `every` (by default every tick: about once a minute).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.utils import timezone

logger = logging.getLogger("trainerhub.periodic")

Job = Callable[..., int]


@dataclass
class _Entry:
    name: str
    job: Job
    every: timedelta
    last_run: datetime | None = None


_jobs: dict[str, _Entry] = {}


def register(name: str, job: Job, *, every: timedelta = timedelta(0)) -> None:
    """Add (or replace, on a second ready()) the job under this name."""
    previous = _jobs.get(name)
    _jobs[name] = _Entry(name, job, every, previous.last_run if previous else None)


def names() -> list[str]:
    return sorted(_jobs)


def run_one(name: str, *, now: datetime | None = None) -> int:
    """Run one job now, whatever its interval (the Celery task of that name does this)."""
    entry = _jobs[name]
    entry.last_run = now or timezone.now()
    return int(entry.job(now=now))


def run_due(*, now: datetime | None = None) -> dict[str, int]:
    """Run every job whose interval has passed. A failing job is logged and does not stop
    the others: one app's bug must not stall reminders or another app's work."""
    moment = now or timezone.now()
    done: dict[str, int] = {}
    for entry in list(_jobs.values()):
        if entry.last_run is not None and moment - entry.last_run < entry.every:
            continue
        try:
            done[entry.name] = run_one(entry.name, now=now)
        except Exception:
            logger.exception("periodic job failed", extra={"job": entry.name})
    return done
