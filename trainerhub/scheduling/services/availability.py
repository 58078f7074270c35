"""Working hours, date overrides and time off of a trainer."""

from __future__ import annotations

from datetime import date, datetime, time
from itertools import pairwise
from typing import Any

from django.db import transaction

from trainerhub.core.errors import InvalidInput
from trainerhub.core.tenancy import TrainerRef, trainer_id_of
from trainerhub.scheduling.models import Booking, DateOverride, Service, TimeOff, WeeklyInterval
from trainerhub.scheduling.services._common import (
    clean_or_raise,
    lock_trainer_schedule,
    set_fields,
)

MAX_OVERRIDE_INTERVALS = 12


def _check_service(trainer: TrainerRef, service: Service | None) -> None:
    if service is not None and service.trainer_id != trainer_id_of(trainer):
        raise InvalidInput({"service": ["Unknown service."]})


def _check_times(start: Any, end: Any, *, field: str = "end") -> None:
    if start is not None and end is not None and start >= end:
        raise InvalidInput({field: ["The end must be after the start."]})


WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def _check_no_overlap(interval: WeeklyInterval) -> None:
    """Two intervals of the same weekday and the same scope (all services, or one service)
    may touch but not overlap: an overlap is almost always a typo, and merging silently would
    hide it. An interval limited to one service may lie inside the general hours (it narrows
    what that service may use), so only intervals of the same scope are compared. The caller
    holds the trainer's write guard, so two writers cannot both see the day free."""
    others = WeeklyInterval.objects.filter(
        trainer_id=interval.trainer_id,
        weekday=interval.weekday,
        service=interval.service,
        start__lt=interval.end,
        end__gt=interval.start,
    ).exclude(pk=interval.pk)
    clash = others.order_by("start").first()
    if clash is not None:
        day = WEEKDAYS[interval.weekday] if 0 <= interval.weekday <= 6 else "This day"
        raise InvalidInput(
            {
                "start": [
                    f"{day} already has hours {clash.start:%H:%M} to {clash.end:%H:%M} that "
                    "overlap this interval: change that one, or make this one start when it ends."
                ]
            }
        )


@transaction.atomic
def weekly_interval_create(
    *, trainer: TrainerRef, weekday: int, start: time, end: time, service: Service | None = None
) -> WeeklyInterval:
    _check_service(trainer, service)
    _check_times(start, end)
    interval = WeeklyInterval(
        trainer_id=trainer_id_of(trainer), weekday=weekday, start=start, end=end, service=service
    )
    clean_or_raise(interval, exclude=["trainer"])
    lock_trainer_schedule(trainer)
    _check_no_overlap(interval)
    interval.save()
    return interval


@transaction.atomic
def weekly_interval_update(*, interval: WeeklyInterval, **fields: Any) -> WeeklyInterval:
    set_fields(interval, fields, {"weekday", "start", "end", "service"})
    _check_service(interval.trainer, interval.service)
    _check_times(interval.start, interval.end)
    clean_or_raise(interval, exclude=["trainer"])
    lock_trainer_schedule(interval.trainer_id)
    _check_no_overlap(interval)
    interval.save()
    return interval


@transaction.atomic
def weekly_interval_delete(*, interval: WeeklyInterval) -> None:
    interval.delete()


def _normalise_intervals(closed: bool, intervals: Any) -> list[dict[str, str]]:
    """[{"start": "HH:MM", "end": "HH:MM"}, ...] sorted, each start before its end."""
    if closed:
        return []
    if not isinstance(intervals, list) or not intervals:
        raise InvalidInput({"intervals": ["Give at least one interval, or mark the date closed."]})
    if len(intervals) > MAX_OVERRIDE_INTERVALS:
        raise InvalidInput({"intervals": [f"At most {MAX_OVERRIDE_INTERVALS} intervals."]})
    clean = []
    for item in intervals:
        try:
            start, end = item["start"], item["end"]
            start = start if isinstance(start, time) else time.fromisoformat(start)
            end = end if isinstance(end, time) else time.fromisoformat(end)
        except (KeyError, TypeError, ValueError):
            raise InvalidInput(
                {"intervals": ['Each interval is {"start": "HH:MM", "end": "HH:MM"}.']}
            ) from None
        if start >= end:
            raise InvalidInput({"intervals": ["Each interval must end after it starts."]})
        clean.append((start, end))
    clean.sort()
    for (_, first_end), (second_start, second_end) in pairwise(clean):
        if second_start < first_end:
            raise InvalidInput(
                {
                    "intervals": [
                        f"{second_start:%H:%M} to {second_end:%H:%M} overlaps the interval before "
                        f"it (which ends at {first_end:%H:%M})."
                    ]
                }
            )
    return [{"start": s.strftime("%H:%M"), "end": e.strftime("%H:%M")} for s, e in clean]


DATE_TAKEN = "This date already has an override; edit that one."


def _check_date_free(override: DateOverride) -> None:
    """One override per date: the one rule every way of writing one goes through. The
    caller holds the trainer's write guard, so two writers cannot both see the date free."""
    clash = DateOverride.objects.filter(trainer_id=override.trainer_id, date=override.date)
    if clash.exclude(pk=override.pk).exists():
        raise InvalidInput({"date": [DATE_TAKEN]})


def _save_override(override: DateOverride) -> DateOverride:
    override.intervals = _normalise_intervals(override.closed, list(override.intervals or []))
    _check_date_free(override)
    clean_or_raise(override, exclude=["trainer"], validate_constraints=False)
    override.save()
    return override


@transaction.atomic
def date_override_create(
    *, trainer: TrainerRef, date: date, closed: bool, intervals: Any = (), note: str = ""
) -> DateOverride:
    """A new override of one date; refused when the date has one already."""
    lock_trainer_schedule(trainer)
    override = DateOverride(
        trainer_id=trainer_id_of(trainer),
        date=date,
        closed=closed,
        intervals=list(intervals or []),
        note=note,
    )
    return _save_override(override)


@transaction.atomic
def date_override_set(
    *, trainer: TrainerRef, date: date, closed: bool, intervals: Any = (), note: str = ""
) -> DateOverride:
    """The hours of one date, whether it had an override or not (the settings page's "save
    the hours of this date"): an update of the existing one, else a create."""
    lock_trainer_schedule(trainer)
    existing = DateOverride.objects.filter(trainer_id=trainer_id_of(trainer), date=date).first()
    if existing is None:
        return date_override_create(
            trainer=trainer, date=date, closed=closed, intervals=intervals, note=note
        )
    return date_override_update(
        override=existing, closed=closed, intervals=list(intervals or []), note=note
    )


@transaction.atomic
def date_override_update(*, override: DateOverride, **fields: Any) -> DateOverride:
    lock_trainer_schedule(override.trainer_id)
    set_fields(override, fields, {"date", "closed", "intervals", "note"})
    return _save_override(override)


@transaction.atomic
def date_override_delete(*, override: DateOverride) -> None:
    override.delete()


def _check_aware(start: datetime | None, end: datetime | None) -> None:
    for name, value in (("start", start), ("end", end)):
        if value is not None and value.tzinfo is None:
            raise InvalidInput({name: ["Include a UTC offset (e.g. +01:00 or Z)."]})
    _check_times(start, end)


@transaction.atomic
def time_off_create(
    *,
    trainer: TrainerRef,
    start: datetime,
    end: datetime,
    reason: str = "",
    cancel_overlapping: bool = False,
) -> TimeOff:
    """Time off; sessions already booked inside it stay unless cancel_overlapping, which
    cancels them in the same transaction (by the trainer, with the time off's reason)."""
    _check_aware(start, end)
    time_off = TimeOff(trainer_id=trainer_id_of(trainer), start=start, end=end, reason=reason)
    clean_or_raise(time_off, exclude=["trainer"])
    time_off.save()
    if cancel_overlapping:
        from trainerhub.scheduling.services.bookings import booking_cancel

        for booking in time_off_overlaps(trainer=trainer, start=start, end=end):
            booking_cancel(booking=booking, actor="trainer", reason=reason or "Time off")
    return time_off


def time_off_overlaps(*, trainer: TrainerRef, start: datetime, end: datetime) -> list[Booking]:
    """The active bookings a time off from start to end would fall on."""
    return list(
        Booking.objects.filter(
            trainer_id=trainer_id_of(trainer),
            status__in=Booking.ACTIVE_STATUSES,
            start__lt=end,
            end__gt=start,
        )
        .select_related("client", "service")
        .order_by("start", "id")
    )


@transaction.atomic
def time_off_update(*, time_off: TimeOff, **fields: Any) -> TimeOff:
    set_fields(time_off, fields, {"start", "end", "reason"})
    _check_aware(time_off.start, time_off.end)
    clean_or_raise(time_off, exclude=["trainer"])
    time_off.save()
    return time_off


@transaction.atomic
def time_off_delete(*, time_off: TimeOff) -> None:
    time_off.delete()
