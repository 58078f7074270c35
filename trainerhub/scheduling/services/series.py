"""Recurring bookings: every N weeks at the same local time, a count or an end date."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.db import transaction

from trainerhub.accounts.models import User
from trainerhub.core.errors import Conflict, DomainError, InvalidInput
from trainerhub.core.timezones import zone
from trainerhub.scheduling.models import Booking, BookingSeries, Service
from trainerhub.scheduling.purchase import NOTHING, Purchase
from trainerhub.scheduling.services.bookings import _check_start, booking_cancel, booking_create

if TYPE_CHECKING:
    from trainerhub.clients.models import Client

MAX_OCCURRENCES = 52


class _RollBack(Exception):
    pass


def occurrence_starts(
    *, start: datetime, tz_name: str, every_weeks: int, count: int | None, until: date | None
) -> list[datetime]:
    """Starts at the same wall-clock time in the trainer's zone (so 09:00 stays 09:00 across
    a daylight-saving change), `count` of them or up to `until` inclusive."""
    tz = zone(tz_name)
    local = start.astimezone(tz).replace(tzinfo=None)
    starts = []
    for k in range(MAX_OCCURRENCES):
        wall = local + timedelta(weeks=every_weeks * k)
        if count is not None and k >= count:
            break
        if until is not None and wall.date() > until:
            break
        starts.append(wall.replace(tzinfo=tz))
    return starts


def _validate(every_weeks: Any, count: Any, until: Any, start: datetime) -> None:
    if not isinstance(every_weeks, int) or not 1 <= every_weeks <= 12:
        raise InvalidInput({"every_weeks": ["Repeat every 1 to 12 weeks."]})
    if (count is None) == (until is None):
        raise InvalidInput({"count": ["Give either a number of occurrences or an end date."]})
    if count is not None and not (isinstance(count, int) and 1 <= count <= MAX_OCCURRENCES):
        raise InvalidInput({"count": [f"Between 1 and {MAX_OCCURRENCES} occurrences."]})
    if until is not None and until < start.date():
        raise InvalidInput({"until": ["The end date must not be before the first occurrence."]})


@transaction.atomic
def series_create(
    *,
    trainer: User,
    client: Client,
    service: Service,
    start: datetime,
    every_weeks: int,
    count: int | None = None,
    until: date | None = None,
    all_or_nothing: bool,
    source: str,
    actor_user: Any = None,
    override_rules: bool = False,
    notes: str = "",
    purchase: Purchase = NOTHING,
) -> tuple[BookingSeries | None, list[Booking], list[dict[str, str]]]:
    """Book every occurrence that passes the rules. Refused ones come back as
    [{"start", "code", "detail"}]; with all_or_nothing a single refusal books nothing."""
    _check_start(start)
    _validate(every_weeks, count, until, start)
    if client.trainer_id != trainer.pk:
        raise InvalidInput({"client": ["Unknown client."]})
    if service.trainer_id != trainer.pk:
        raise InvalidInput({"service": ["Unknown service."]})
    starts = occurrence_starts(
        start=start, tz_name=trainer.timezone, every_weeks=every_weeks, count=count, until=until
    )
    bookings: list[Booking] = []
    refused: list[dict[str, str]] = []
    series = None
    try:
        with transaction.atomic():
            series = BookingSeries.objects.create(
                trainer=trainer,
                client=client,
                service=service,
                every_weeks=every_weeks,
                count=count,
                until=until,
            )
            for when in starts:
                try:
                    with transaction.atomic():
                        bookings.append(
                            booking_create(
                                trainer=trainer,
                                client=client,
                                service=service,
                                start=when,
                                notes=notes,
                                source=source,
                                actor_user=actor_user,
                                override_rules=override_rules,
                                series=series,
                                purchase=purchase,
                            )
                        )
                except (Conflict, InvalidInput) as refusal:
                    if isinstance(refusal, InvalidInput) and refusal.field in ("client", "service"):
                        raise
                    refused.append(_refusal(when, refusal))
            if not bookings or (all_or_nothing and refused):
                raise _RollBack
    except _RollBack:
        return None, [], refused
    return series, bookings, refused


def _refusal(when: datetime, refusal: DomainError) -> dict[str, str]:
    return {"start": when.isoformat(), "code": refusal.code, "detail": refusal.detail}


@transaction.atomic
def series_cancel_following(
    *, booking: Booking, actor: str, actor_user: Any = None, reason: str = ""
) -> list[Booking]:
    """Cancel this occurrence and every later active one of its series."""
    if booking.series_id is None:
        return [booking_cancel(booking=booking, actor=actor, actor_user=actor_user, reason=reason)]
    following = Booking.objects.filter(
        series_id=booking.series_id,
        start__gte=booking.start,
        status__in=Booking.ACTIVE_STATUSES,
    ).order_by("start")
    return [
        booking_cancel(booking=item, actor=actor, actor_user=actor_user, reason=reason)
        for item in following
    ]
