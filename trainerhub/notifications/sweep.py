"""The reminder sweep (every minute): writes reminder rows the booking events could not
(offsets the trainer added later, bookings from before) and the trainers' daily agendas.
Sending is the dispatcher's job."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from trainerhub.core.timezones import zone
from trainerhub.notifications import outbox
from trainerhub.notifications.models import Channel, Kind, Notification, NotificationSettings
from trainerhub.scheduling.models import Booking

# A reminder whose time passed less than this long ago is still written by the sweep.
GRACE = timedelta(minutes=10)


@dataclass
class SweepStats:
    reminders: int = 0
    agendas: int = 0


def reminder_sweep(*, now: datetime | None = None) -> SweepStats:
    now = now or timezone.now()
    stats = SweepStats()
    offsets = {s.trainer_id: s.reminder_offsets for s in NotificationSettings.objects.all()}
    longest = max([24 * 60, *(m for offs in offsets.values() for m in offs or [])])
    bookings = Booking.objects.filter(
        status=Booking.Status.CONFIRMED,
        start__gt=now,
        start__lte=now + timedelta(minutes=longest) + GRACE,
    ).select_related("trainer", "client", "service")
    for booking in bookings:
        with transaction.atomic():
            stats.reminders += outbox.ensure_reminders(
                booking, not_before=max(now - GRACE, booking.updated_at), revive=False
            )
    stats.agendas = _daily_agendas(now)
    return stats


def _daily_agendas(now: datetime) -> int:
    written = 0
    for settings_row in NotificationSettings.objects.filter(daily_agenda=True).select_related(
        "trainer"
    ):
        trainer = settings_row.trainer
        local = now.astimezone(zone(trainer.timezone or "UTC"))
        if local.hour < settings_row.agenda_hour:
            continue
        _, created = Notification.objects.get_or_create(
            trainer=trainer,
            kind=Kind.TRAINER_DAILY_AGENDA,
            channel=Channel.EMAIL,
            booking=None,
            dedupe=local.date().isoformat(),
            defaults={
                "recipient": Notification.Recipient.TRAINER,
                "due_at": now,
                "context": {"date": local.date().isoformat()},
            },
        )
        written += int(created)
    return written
