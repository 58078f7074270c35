"""Helpers the scheduling services share: validation and the per-trainer write guard."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import connection, models

from trainerhub.core.errors import InvalidInput

# First key of the PostgreSQL advisory lock that serialises a trainer's booking writes.
_ADVISORY_NAMESPACE = 7301


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


def lock_trainer_schedule(trainer: Any) -> None:
    """Serialise booking writes of one trainer until the transaction ends.

    On PostgreSQL an advisory transaction lock makes "check the slot, then insert" one step
    per trainer (the exclusion constraint stays as the last word). SQLite needs nothing here:
    every transaction begins IMMEDIATE, which already holds the database's write lock.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_advisory_xact_lock(%s, %s)",
                [_ADVISORY_NAMESPACE, int(getattr(trainer, "pk", trainer)) % 2**31],
            )
