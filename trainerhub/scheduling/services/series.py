"""Recurring bookings: every N weeks at the same local time, a count or an end date.

The client hears of a series once: `series_create` emits `series.created` (series, bookings,
refused, actor) after booking the occurrences, and "cancel this and following" emits
`series.cancelled` (series, bookings, actor, reason); the occurrences' own created and
cancelled events say `in_summary` so the outbox writes one message instead of one each.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone

from trainerhub.accounts.models import User
from trainerhub.core.errors import Conflict, DomainError, InvalidInput
from trainerhub.core.events import emit
from trainerhub.core.timezones import zone
from trainerhub.scheduling import slots
from trainerhub.scheduling.models import Booking, BookingSeries, Service
from trainerhub.scheduling.purchase import NOTHING, Purchase
from trainerhub.scheduling.selectors import load_slot_inputs, service_rules
from trainerhub.scheduling.services._common import lock_trainer_schedule
from trainerhub.scheduling.services.bookings import (
    ALREADY_BOOKED,
    ALREADY_BOOKED_DETAIL,
    _check_parties,
    _check_start,
    booking_cancel,
    booking_create,
)

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
    # The whole schedule's lock up front: each occurrence then takes its day's lock under
    # it, and two series (or a series and a move) never wait for each other's days.
    lock_trainer_schedule(trainer)
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
            emit("series.created", series=series, bookings=bookings, refused=refused, actor=source)
    except _RollBack:
        return None, [], refused
    return series, bookings, refused


@dataclass(frozen=True)
class Occurrence:
    """One date of a series being planned: free (code "") or the rule that refuses it."""

    start: datetime
    end: datetime
    code: str = ""
    detail: str = ""

    @property
    def free(self) -> bool:
        return not self.code


def series_preview(
    *,
    trainer: User,
    client: Client,
    service: Service,
    start: datetime,
    every_weeks: int,
    count: int | None = None,
    until: date | None = None,
    source: str = Booking.Source.TRAINER,
    override_rules: bool = False,
) -> list[Occurrence]:
    """Every date `series_create` would try, each with the verdict it would get: the same slot
    engine and inputs (loaded once for the whole span, a fixed number of queries) and the
    same one-seat rule. Nothing is written."""
    _check_start(start)
    _validate(every_weeks, count, until, start)
    _check_parties(trainer, client, service, source=source)
    starts = occurrence_starts(
        start=start, tz_name=trainer.timezone, every_weeks=every_weeks, count=count, until=until
    )
    if not starts:
        return []
    tz = zone(trainer.timezone)
    availability, busy = load_slot_inputs(
        trainer=trainer,
        first_day=starts[0].astimezone(tz).date() - timedelta(days=1),
        last_day=starts[-1].astimezone(tz).date() + timedelta(days=1),
    )
    seated = set(
        Booking.objects.filter(
            trainer=trainer,
            client=client,
            status__in=_ACTIVE,
            start__gte=starts[0] - timedelta(days=1),
            start__lte=starts[-1] + timedelta(days=1),
        ).values_list("session_id", flat=True)
    )
    rules, now = service_rules(service), timezone.now()
    plan: list[Occurrence] = []
    for when in starts:
        end = when + rules.duration
        try:
            slot = slots.check_candidate(
                rules,
                availability,
                busy,
                now=now,
                start=when,
                override_rules=override_rules,
                any_start=source != Booking.Source.CLIENT,
            )
        except slots.SlotRefused as refusal:
            plan.append(Occurrence(when, end, refusal.code, refusal.detail))
            continue
        if slot.session_id in seated:
            plan.append(Occurrence(when, end, ALREADY_BOOKED, ALREADY_BOOKED_DETAIL))
        else:
            plan.append(Occurrence(when, end))
    return plan


_ACTIVE = Booking.ACTIVE_STATUSES


def _refusal(when: datetime, refusal: DomainError) -> dict[str, str]:
    return {"start": when.isoformat(), "code": refusal.code, "detail": refusal.detail}


@transaction.atomic
def series_cancel_following(
    *, booking: Booking, actor: str, actor_user: Any = None, reason: str = ""
) -> list[Booking]:
    """Cancel this occurrence and every later active one of its series."""
    if booking.series_id is None:
        return [booking_cancel(booking=booking, actor=actor, actor_user=actor_user, reason=reason)]
    cancelled = [
        booking_cancel(
            booking=item, actor=actor, actor_user=actor_user, reason=reason, in_summary=True
        )
        for item in series_following(booking)
    ]
    if cancelled:
        emit(
            "series.cancelled",
            series=cancelled[0].series,
            bookings=cancelled,
            actor=actor,
            reason=reason,
        )
    return cancelled


def series_following(booking: Booking) -> list[Booking]:
    """This occurrence and every later active one of its series: what "cancel this and
    following" would cancel (the confirmation lists them)."""
    if booking.series_id is None:
        return [booking] if booking.is_active else []
    return list(
        Booking.objects.filter(
            trainer_id=booking.trainer_id,
            series_id=booking.series_id,
            start__gte=booking.start,
            status__in=_ACTIVE,
        ).order_by("start")
    )
