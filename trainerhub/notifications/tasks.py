"""The same background work as Celery tasks (TASK_BACKEND=celery); beat runs them every
minute (see config/celery.py)."""

from __future__ import annotations

from config.celery import app
from trainerhub.calendars.services import refresh_due as calendars_refresh_due
from trainerhub.core import periodic
from trainerhub.core.heartbeat import heartbeat_beat
from trainerhub.notifications.dispatcher import dispatch_due
from trainerhub.notifications.services import telegram_poll
from trainerhub.notifications.sweep import reminder_sweep


@app.task(name="notifications.dispatch_due", ignore_result=True)
def dispatch_due_task() -> int:
    sent = dispatch_due().sent
    # Beat schedules this every minute: its pass is the Celery setup's heartbeat for /healthz.
    heartbeat_beat()
    return sent


@app.task(name="notifications.reminder_sweep", ignore_result=True)
def reminder_sweep_task() -> int:
    return reminder_sweep().reminders


@app.task(name="notifications.telegram_poll", ignore_result=True)
def telegram_poll_task() -> int:
    return telegram_poll()


@app.task(name="calendars.refresh_due", ignore_result=True)
def calendars_refresh_task() -> int:
    """Reads the trainers' own calendars that are due (CALENDAR_FETCH_MINUTES)."""
    return calendars_refresh_due().tried


@app.task(name="core.periodic", ignore_result=True)
def periodic_task() -> dict[str, int]:
    """The jobs the apps above the worker register (core/periodic.py); beat runs it every
    minute, and each job keeps its own interval."""
    return periodic.run_due()
