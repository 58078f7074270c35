"""Helpers the scheduling services share: validation and the per-trainer write guard."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models

from trainerhub.core.errors import InvalidInput
from trainerhub.core.locks import advisory_lock, advisory_locks
from trainerhub.core.tenancy import TrainerRef, trainer_id_of


def clean_or_raise(obj: models.Model, **kwargs: Any) -> None:
    """full_clean, with Django's errors turned into InvalidInput field messages."""
    try:
        obj.full_clean(**kwargs)
    except ValidationError as exc:
        errors = {
            ("non_field_errors" if key == "__all__" else key): [str(m) for m in messages]
            for key, messages in exc.message_dict.items()
        }
        raise InvalidInput(errors) from None


def set_fields(obj: models.Model, fields: dict[str, Any], allowed: set[str]) -> dict[str, Any]:
    """Assign allowed fields; refuse unknown ones; answer {field: [old, new]} of what changed."""
    unknown = set(fields) - allowed
    if unknown:
        raise InvalidInput({name: ["This field cannot be set."] for name in sorted(unknown)})
    changes = {}
    for name, value in fields.items():
        old = getattr(obj, name)
        if old != value:
            changes[name] = [old, value]
        setattr(obj, name, value)
    return changes


def lock_trainer_schedule(trainer: TrainerRef) -> None:
    """Serialise the schedule writes of one trainer (bookings, date overrides) until the
    transaction ends: "check the slot (or the date), then insert" becomes one step per
    trainer; PostgreSQL's exclusion constraint stays as the last word on bookings."""
    advisory_lock("scheduling.trainer", trainer_id_of(trainer))


def lock_trainer_day(trainer: TrainerRef, day: date) -> None:
    """Serialise the bookings of one trainer on one local day, not the trainer's whole
    schedule: 16 clients booking different days no longer wait for each other.

    The trainer's schedule lock is held shared, so a writer of the whole schedule (date
    overrides, hours, moves, which take it exclusively) still waits for these bookings and
    they for it. What the day lock does not cover, PostgreSQL's exclusion constraint refuses:
    two sessions whose buffers reach across midnight into each other's day (`slot_taken`).
    Rules counted per local day (daily limits) are exact; rules counted across days take
    the whole schedule lock instead (`lock_trainer_schedule`)."""
    trainer_id = trainer_id_of(trainer)
    advisory_locks(
        [
            (("scheduling.trainer", trainer_id), True),
            (("scheduling.trainer-day", trainer_id, day.isoformat()), False),
        ]
    )
