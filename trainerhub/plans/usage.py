"""How much of each limit a trainer uses now.

The rows counted belong to apps above this one (clients, scheduling, notifications), so they
are reached through the app registry by label, never imported: plans sits below them.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from django.apps import apps
from django.utils import timezone

from trainerhub.accounts.models import User
from trainerhub.core.timezones import zone
from trainerhub.plans.models import ACTIVE_CLIENTS, BOOKINGS_PER_MONTH, SERVICES, SMS_PER_MONTH


def month_start(trainer: User, now: datetime | None = None) -> datetime:
    """The first instant of the current month in the trainer's zone (aware, any zone)."""
    local = (now or timezone.now()).astimezone(zone(trainer.timezone))
    return local.replace(day=1, hour=0, minute=0, second=0, microsecond=0)


def _active_clients(trainer: User) -> int:
    # Archived clients are set aside and erased ones are gone: neither takes a place.
    client = apps.get_model("clients", "Client")
    rows = client.objects.filter(trainer_id=trainer.pk, erased_at__isnull=True)
    return int(rows.exclude(status="archived").count())


def _services(trainer: User) -> int:
    service = apps.get_model("scheduling", "Service")
    return int(service.objects.filter(trainer_id=trainer.pk, is_active=True).count())


def _bookings_this_month(trainer: User) -> int:
    # Every booking made this month counts, cancelled or not, so cancelling does not refill.
    booking = apps.get_model("scheduling", "Booking")
    since = month_start(trainer)
    return int(booking.objects.filter(trainer_id=trainer.pk, created_at__gte=since).count())


def _sms_this_month(trainer: User) -> int:
    notification = apps.get_model("notifications", "Notification")
    rows = notification.objects.filter(
        trainer_id=trainer.pk, channel="sms", sent_at__gte=month_start(trainer)
    )
    return int(rows.count())


COUNTERS: dict[str, Callable[[User], int]] = {
    ACTIVE_CLIENTS: _active_clients,
    SERVICES: _services,
    BOOKINGS_PER_MONTH: _bookings_this_month,
    SMS_PER_MONTH: _sms_this_month,
}

# How each limit is named to a person, singular and plural.
WORDS: dict[str, tuple[str, str]] = {
    ACTIVE_CLIENTS: ("active client", "active clients"),
    SERVICES: ("active service", "active services"),
    BOOKINGS_PER_MONTH: ("booking a month", "bookings a month"),
    SMS_PER_MONTH: ("SMS a month", "SMS a month"),
}


def used(trainer: User, limit: str) -> int:
    return COUNTERS[limit](trainer)


def words(limit: str, count: int) -> str:
    one, many = WORDS[limit]
    return f"{count} {one if count == 1 else many}"
