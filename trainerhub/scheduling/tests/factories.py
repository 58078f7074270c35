"""Small factories of the scheduling tests (clients come from the CRM's model directly)."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any

from trainerhub.clients.models import Client
from trainerhub.core.timezones import zone
from trainerhub.scheduling.models import Service, WeeklyInterval


def make_client(trainer: Any, first_name: str = "Chris", **fields: Any) -> Client:
    return Client.objects.create(trainer=trainer, first_name=first_name, **fields)


def make_service(trainer: Any, **fields: Any) -> Service:
    values: dict[str, Any] = {
        "name": "Personal training",
        "duration_minutes": 60,
        "price": "50.00",
        "currency": "GBP",
        "min_notice_minutes": 0,
        "max_advance_days": 365,
    }
    values.update(fields)
    return Service.objects.create(trainer=trainer, **values)


def open_every_day(trainer: Any, start: str = "07:00", end: str = "21:00") -> None:
    for weekday in range(7):
        WeeklyInterval.objects.create(
            trainer=trainer,
            weekday=weekday,
            start=time.fromisoformat(start),
            end=time.fromisoformat(end),
        )


def local_at(trainer: Any, days_ahead: int, hhmm: str) -> datetime:
    """An aware datetime `days_ahead` local days from today at HH:MM in the trainer's zone."""
    tz = zone(trainer.timezone)
    today = datetime.now(tz).date()
    return datetime.combine(today + timedelta(days=days_ahead), time.fromisoformat(hhmm), tz)
