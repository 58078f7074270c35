"""Reads of the trainer's own calendars; every one names the trainer."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Max, Q, QuerySet

from trainerhub.calendars.models import CalendarSubscription
from trainerhub.core.access import get_owned_or_404
from trainerhub.core.tenancy import TrainerRef, trainer_id_of
from trainerhub.scheduling.models import Service

# How far ahead busy ranges are kept when the trainer has no service yet.
DEFAULT_HORIZON_DAYS = 60


def subscriptions_for_trainer(*, trainer: TrainerRef) -> QuerySet[CalendarSubscription]:
    return CalendarSubscription.objects.filter(trainer_id=trainer_id_of(trainer))


def subscription_get_for_trainer(*, trainer: TrainerRef, pk: object) -> CalendarSubscription:
    """The trainer's calendar with this id, else 404 (another trainer's too)."""
    return get_owned_or_404(CalendarSubscription, trainer=trainer, pk=pk)


def failing_subscriptions(*, trainer: TrainerRef) -> list[CalendarSubscription]:
    """Active calendars whose last fetch failed (the dashboard's warning card)."""
    return list(
        subscriptions_for_trainer(trainer=trainer).filter(is_active=True).exclude(last_error="")
    )


def horizon_days(*, trainer: TrainerRef) -> int:
    """The largest booking horizon of the trainer's services: nothing further is bookable."""
    found = Service.objects.filter(trainer_id=trainer_id_of(trainer)).aggregate(
        days=Max("max_advance_days")
    )["days"]
    return int(found) if found else DEFAULT_HORIZON_DAYS


def due_subscriptions(*, now: datetime) -> QuerySet[CalendarSubscription]:
    """Active calendars of every trainer not tried for CALENDAR_FETCH_MINUTES (the worker)."""
    since = now - timedelta(minutes=settings.CALENDAR_FETCH_MINUTES)
    return (
        CalendarSubscription.objects.filter(is_active=True)
        .filter(Q(last_attempt_at__isnull=True) | Q(last_attempt_at__lte=since))
        .order_by("last_attempt_at", "id")
    )
