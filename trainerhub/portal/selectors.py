"""Reads of the portal: which trainer a public page belongs to, what it offers, and the
bookings a manage link or a client account may see (everything else is a 404)."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from trainerhub.accounts.models import User
from trainerhub.accounts.verification import publishable_q
from trainerhub.clients.models import IntakeField
from trainerhub.clients.selectors import intake_fields_for_trainer
from trainerhub.core.access import row_or_404
from trainerhub.core.tenancy import TrainerRef, trainer_id_of
from trainerhub.core.timezones import is_valid_timezone, zone
from trainerhub.portal.models import PortalSettings
from trainerhub.scheduling.models import Booking, Service, ServiceAddon
from trainerhub.scheduling.selectors import (
    MAX_SLOT_RANGE_DAYS,
    addons_by_service,
    slots_on_local_dates,
)
from trainerhub.scheduling.services.cancellation import cancellation_is_late

# Long enough to be unguessable; shorter strings are refused without a query.
MIN_TOKEN_LENGTH = 20


def portal_settings_for(trainer: TrainerRef) -> PortalSettings:
    settings, _ = PortalSettings.objects.get_or_create(trainer_id=trainer_id_of(trainer))
    return settings


def public_trainer(slug: str) -> tuple[User, PortalSettings]:
    """The trainer whose page lives at /book/<slug>/, if the page is on (and the trainer's
    address verified, accounts/verification.py); else 404."""
    trainer = (
        User.objects.filter(slug=slug, role=User.Role.TRAINER, is_active=True)
        .filter(publishable_q())
        .first()
    )
    if trainer is None:
        raise Http404
    settings = portal_settings_for(trainer)
    if not settings.enabled:
        raise Http404
    return trainer, settings


def trainer_for_invite(code: str) -> tuple[User, PortalSettings]:
    settings = (
        PortalSettings.objects.select_related("trainer")
        .filter(invite_code=code, enabled=True, trainer__is_active=True)
        .filter(publishable_q("trainer__"))
        .first()
    )
    if settings is None:
        raise Http404
    return settings.trainer, settings


def public_services(trainer: TrainerRef) -> QuerySet[Service]:
    return Service.objects.filter(
        trainer_id=trainer_id_of(trainer), is_active=True, bookable_online=True
    )


def public_addons(trainer: TrainerRef, offered: list[Service]) -> dict[int, list[ServiceAddon]]:
    """The active add-ons of the offered services, in one query."""
    return addons_by_service(trainer=trainer, service_ids=[s.pk for s in offered])


def public_service_get(*, trainer: TrainerRef, pk: Any) -> Service:
    return row_or_404(public_services(trainer), pk)


def active_services(trainer: TrainerRef) -> list[Service]:
    """Every service the trainer still offers (the settings page picks the online ones)."""
    return list(Service.objects.filter(trainer_id=trainer_id_of(trainer), is_active=True))


def booking_form_fields(trainer: TrainerRef) -> list[IntakeField]:
    """The intake questions the trainer asks on their public booking form."""
    return list(intake_fields_for_trainer(trainer=trainer, booking_form_only=True))


def resolve_tz(name: str | None, default: str) -> tuple[str, bool]:
    """The zone to show times in, and whether the asked one was refused."""
    if not name:
        return default, False
    if is_valid_timezone(name):
        return name, False
    return default, True


def local_today(tz: str) -> date:
    return timezone.now().astimezone(zone(tz)).date()


@dataclass(frozen=True)
class MonthView:
    month: date  # first day of the month
    weeks: list[list[date | None]]
    free_days: set[date]
    prev_month: date | None
    next_month: date | None


def month_view(*, trainer: User, service: Service, month: date | None, tz: str) -> MonthView:
    """The visitor's month with the days that have at least one free slot."""
    today = local_today(tz)
    horizon = today + timedelta(days=service.max_advance_days + 1)
    first_month = today.replace(day=1)
    month = first_month if month is None else month.replace(day=1)
    month = min(max(month, first_month), horizon.replace(day=1))
    last = month.replace(day=calendar.monthrange(month.year, month.month)[1])
    free: set[date] = set()
    lo, hi = max(month, today), min(last, horizon)
    if lo <= hi:
        for slot in slots_on_local_dates(
            trainer=trainer, service=service, first_day=lo, last_day=hi, tz_name=tz
        ):
            free.add(slot.start.astimezone(zone(tz)).date())
    weeks = [
        [d if d.month == month.month else None for d in week]
        for week in calendar.Calendar(firstweekday=0).monthdatescalendar(month.year, month.month)
    ]
    prev_month = (month - timedelta(days=1)).replace(day=1) if month > first_month else None
    next_first = last + timedelta(days=1)
    next_month = next_first if next_first <= horizon else None
    return MonthView(month, weeks, free, prev_month, next_month)


def first_free_day(*, trainer: User, service: Service, tz: str) -> date | None:
    """The first day with a free slot within the service's horizon (for the picker's start)."""
    today = local_today(tz)
    last = today + timedelta(days=min(service.max_advance_days + 1, MAX_SLOT_RANGE_DAYS))
    slots = slots_on_local_dates(
        trainer=trainer, service=service, first_day=today, last_day=last, tz_name=tz
    )
    return slots[0].start.astimezone(zone(tz)).date() if slots else None


def slot_is_offered(
    *, trainer: User, service: Service, start: datetime, extra_minutes: int = 0
) -> bool:
    """Whether `start` is offered, with the chosen add-ons' extra minutes."""
    day = start.astimezone(zone(trainer.timezone)).date()
    slots = slots_on_local_dates(
        trainer=trainer,
        service=service,
        first_day=day,
        last_day=day,
        tz_name=trainer.timezone,
        extra_minutes=extra_minutes,
    )
    return any(s.start == start for s in slots)


def booking_for_token(token: str) -> Booking:
    """The booking of a manage link, while its session has not ended; else 404."""
    if not token or len(token) < MIN_TOKEN_LENGTH or len(token) > 64:
        raise Http404
    booking = (
        Booking.objects.select_related("service", "client", "trainer")
        .filter(manage_token=token, end__gt=timezone.now())
        .first()
    )
    if booking is None:
        raise Http404
    return booking


def client_bookings(*, user: Any, upcoming: bool = False) -> QuerySet[Booking]:
    """Every booking of the client records linked to this client account (any trainer);
    with `upcoming`, only those whose session has not ended."""
    qs = Booking.objects.filter(client__account=user)
    if upcoming:
        qs = qs.filter(end__gt=timezone.now())
    return qs.select_related("service", "client", "trainer").order_by("start", "id")


def client_booking_get(*, user: Any, pk: Any) -> Booking:
    return row_or_404(client_bookings(user=user), pk)


def cancellation_would_be_late(booking: Booking, now: datetime | None = None) -> bool:
    """Whether the client cancelling at `now` is a late cancellation: the scheduling rule,
    with the window the trainer set on their booking page."""
    window = portal_settings_for(booking.trainer_id).cancellation_window_hours
    return cancellation_is_late(start=booking.start, window_hours=window, now=now)


def change_refusal(booking: Booking, now: datetime | None = None) -> str | None:
    """Why the client may no longer cancel or reschedule this booking, or None if they may.

    The one answer behind every client surface: the service refuses with it, the pages use
    it to hide the buttons. Only an active booking whose session has not started can change.
    """
    if booking.status == Booking.Status.CANCELLED:
        return "This booking is cancelled; it can no longer be changed."
    if booking.status == Booking.Status.DECLINED:
        return "This booking was declined; it can no longer be changed."
    if not booking.is_active:
        return "This session has taken place; it can no longer be changed."
    now = now or timezone.now()
    if booking.end <= now:
        return "This session has ended; it can no longer be changed."
    if booking.start <= now:
        return "This session has already started; it can no longer be changed."
    return None


def can_change(booking: Booking, now: datetime | None = None) -> bool:
    """Whether the client may still cancel or reschedule it (active and not started)."""
    return change_refusal(booking, now) is None
