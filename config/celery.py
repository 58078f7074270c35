"""Celery app for TASK_BACKEND=celery (several machines): broker REDIS_URL.

celery -A config.celery worker --loglevel=INFO
celery -A config.celery beat --loglevel=INFO
"""

from __future__ import annotations

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("trainerhub")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.conf.beat_schedule = {
    "dispatch-due-notifications": {"task": "notifications.dispatch_due", "schedule": 60.0},
    "reminder-sweep": {"task": "notifications.reminder_sweep", "schedule": 60.0},
    "telegram-poll": {"task": "notifications.telegram_poll", "schedule": 60.0},
    # Every minute; the task reads only calendars not read for CALENDAR_FETCH_MINUTES.
    "calendars-refresh": {"task": "calendars.refresh_due", "schedule": 60.0},
    # Jobs the apps above the worker register (core/periodic.py), each at its own interval.
    "periodic-jobs": {"task": "core.periodic", "schedule": 60.0},
}
app.conf.broker_connection_retry_on_startup = True
app.autodiscover_tasks(["trainerhub.notifications"])
