"""One tick of background work, shared by the run_worker command and the Celery tasks."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime

from trainerhub.calendars.services import refresh_due as calendars_refresh_due
from trainerhub.core import periodic
from trainerhub.notifications.dispatcher import BATCH, DispatchStats, dispatch_due
from trainerhub.notifications.models import Notification
from trainerhub.notifications.services import telegram_poll
from trainerhub.notifications.sweep import reminder_sweep

logger = logging.getLogger("trainerhub.notifications")


def tick(
    *,
    now: datetime | None = None,
    after_send: Callable[[Notification], None] | None = None,
    batch: int = BATCH,
) -> DispatchStats:
    sweep = reminder_sweep(now=now)
    telegram_poll()
    stats = DispatchStats()
    while True:  # drain: batch after batch until less than a full batch was due
        one = dispatch_due(now=now, after_send=after_send, limit=batch)
        for name in ("claimed", "sent", "retried", "failed", "skipped", "recovered", "lost"):
            setattr(stats, name, getattr(stats, name) + getattr(one, name))
        stats.ids += one.ids
        if one.claimed < batch:
            break
    # After the sends, so a slow calendar never delays a message; due ones only (10 min).
    calendars_refresh_due(now=now)
    # The jobs the apps above register (package expiry, overdue invoices, ...).
    periodic.run_due(now=now)
    if stats.claimed or sweep.reminders or stats.recovered:
        logger.info(
            "worker tick",
            extra={
                "claimed": stats.claimed,
                "sent": stats.sent,
                "retried": stats.retried,
                "failed": stats.failed,
                "skipped": stats.skipped,
                "recovered": stats.recovered,
                "lost": stats.lost,
                "reminders_written": sweep.reminders,
            },
        )
    return stats
