"""What the worker does on its own: requests nobody answered expire, sessions nobody marked
are completed. Each trainer turns these on in their scheduling settings (both off by default).

Both jobs are idempotent and safe with two workers: each booking moves through the same status
functions the trainer's buttons use, which lock its row and refuse a move from a status that
no longer allows it, so a second worker (or a trainer clicking at the same moment) finds it
done and skips it.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from trainerhub.core.errors import InvalidInput, NotAllowed
from trainerhub.core.tenancy import TrainerRef, trainer_id_of
from trainerhub.scheduling.models import Booking, SchedulingSettings
from trainerhub.scheduling.services._common import clean_or_raise, set_fields
from trainerhub.scheduling.services.bookings import booking_complete, booking_decline

logger = logging.getLogger("trainerhub.scheduling")

EXPIRED_MESSAGE = (
    "Your request was not confirmed in time, so the time is free again. "
    "You are welcome to book another time."
)
BATCH = 200


def settings_for(*, trainer: TrainerRef) -> SchedulingSettings:
    """The trainer's scheduling settings (unsaved defaults when they never changed them)."""
    tid = trainer_id_of(trainer)
    found = SchedulingSettings.objects.filter(trainer_id=tid).first()
    return found or SchedulingSettings(trainer_id=tid)


SETTINGS_FIELDS = {
    "request_expiry_hours",
    "auto_complete_hours",
    "max_bookings_per_day",
    "max_hours_per_day",
}


@transaction.atomic
def scheduling_settings_update(*, trainer: TrainerRef, **fields: Any) -> SchedulingSettings:
    tid = trainer_id_of(trainer)
    current = SchedulingSettings.objects.select_for_update().filter(trainer_id=tid).first()
    current = current or SchedulingSettings(trainer_id=tid)
    set_fields(current, fields, SETTINGS_FIELDS)
    clean_or_raise(current, exclude=["trainer"], validate_constraints=False)
    current.save()
    return current


def _due_requests(now: datetime) -> list[Booking]:
    """Pending requests whose start has passed, and those older than their trainer's expiry:
    each read by an indexed filter, at most BATCH per pass (the next pass takes the rest)."""
    pending = Booking.objects.filter(status=Booking.Status.PENDING)
    due: dict[int, Booking] = {b.pk: b for b in pending.filter(start__lte=now)[:BATCH]}
    for tid, hours in SchedulingSettings.objects.filter(
        request_expiry_hours__isnull=False
    ).values_list("trainer_id", "request_expiry_hours"):
        old = pending.filter(trainer_id=tid, created_at__lte=now - timedelta(hours=hours or 0))
        due.update({b.pk: b for b in old.order_by("created_at", "id")[:BATCH]})
    return list(due.values())


def expire_requests(*, now: datetime | None = None) -> int:
    """Decline, as expired, the pending requests that are due. Returns how many."""
    moment = now or timezone.now()
    done = 0
    for booking in _due_requests(moment):
        try:
            booking_decline(booking=booking, actor="system", message=EXPIRED_MESSAGE)
        except NotAllowed:
            continue  # answered meanwhile (the trainer, or another worker)
        done += 1
    if done:
        logger.info("requests expired", extra={"count": done})
    return done


def complete_past_sessions(*, now: datetime | None = None) -> int:
    """Mark completed the confirmed sessions that ended longer ago than their trainer's
    `auto_complete_hours`. Returns how many."""
    moment = now or timezone.now()
    done = 0
    for tid, hours in SchedulingSettings.objects.filter(
        auto_complete_hours__isnull=False
    ).values_list("trainer_id", "auto_complete_hours"):
        due = Booking.objects.filter(
            trainer_id=tid,
            status=Booking.Status.CONFIRMED,
            end__lte=moment - timedelta(hours=hours or 0),
        ).order_by("end", "id")[:BATCH]
        for booking in due:
            try:
                booking_complete(booking=booking, actor="system")
            except (NotAllowed, InvalidInput):
                continue
            done += 1
    if done:
        logger.info("sessions completed automatically", extra={"count": done})
    return done
