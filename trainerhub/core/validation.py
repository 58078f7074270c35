"""Input rules every surface shares: the range of dates the product accepts.

One rule, applied where input enters (API fields, form fields, query parameters, CSV imports),
so a value nobody can mean never reaches a service or the database:

- Every date and date-time lies in 1900-01-01 .. 2200-12-31 (UTC for an instant). Inside that
  range every calculation the product does stays representable: the slot engine adds a day,
  a buffer or a horizon (at most a few years) to a start, and a local wall time converted to
  UTC moves by at most a day. Outside it, Python raises OverflowError near year 1 and 9999,
  and PostgreSQL stores "0001-01-01T00:00+05:00" as a BC timestamp that Python cannot read
  back, so every later page of that trainer answered 500.
- The same range serves dates of birth (no one alive was born before 1900) and bookings, time
  off, overrides and slot queries.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from django.core.exceptions import ValidationError
from django.utils.dateparse import parse_date, parse_datetime

EARLIEST_DAY = date(1900, 1, 1)
LATEST_DAY = date(2200, 12, 31)
_EARLIEST = datetime(1900, 1, 1, tzinfo=UTC)
_AFTER_LATEST = datetime(2201, 1, 1, tzinfo=UTC)

OUT_OF_RANGE = f"Enter a date between {EARLIEST_DAY.isoformat()} and {LATEST_DAY.isoformat()}."
BAD_DAY = "Enter a date as YYYY-MM-DD."
BAD_INSTANT = "Enter an ISO 8601 date and time, e.g. 2025-03-01T09:00:00+00:00."
NAIVE_INSTANT = "Include a UTC offset in the time (e.g. +01:00 or Z)."


def day_in_range(value: date) -> bool:
    if isinstance(value, datetime):
        return instant_in_range(value)
    return EARLIEST_DAY <= value <= LATEST_DAY


def instant_in_range(value: datetime) -> bool:
    # The year first: converting year 1 or 9999 with an offset to UTC overflows.
    if not EARLIEST_DAY.year - 1 <= value.year <= LATEST_DAY.year + 1:
        return False
    if value.tzinfo is None or value.utcoffset() is None:
        return EARLIEST_DAY <= value.date() <= LATEST_DAY
    return _EARLIEST <= value.astimezone(UTC) < _AFTER_LATEST


def validate_in_range(value: date | datetime | None) -> None:
    """A validator for any date or date-time field, form or serializer (DRF runs Django
    validators too and turns their error into the field's message)."""
    if value is not None and not day_in_range(value):
        raise ValidationError(OUT_OF_RANGE, code="out_of_range")


def day_from_text(raw: str) -> date:
    """A YYYY-MM-DD query parameter or cell, refused when malformed or out of range."""
    try:
        value = parse_date(raw.strip()) if len(raw) <= 10 else None
    except ValueError:  # well formed but no such day, e.g. 2026-13-45
        value = None
    if value is None:
        raise ValidationError(BAD_DAY, code="invalid")
    validate_in_range(value)
    return value


FLAG_WORDS = {"true": True, "1": True, "yes": True, "on": True}
FLAG_WORDS |= {"false": False, "0": False, "no": False, "off": False}


def flag_from_text(raw: str | None) -> bool | None:
    """A yes/no query parameter (`true`/`false`, as the API documents it, or 1/0, yes/no,
    on/off as forms send it); absent or empty is None, anything else a ValidationError."""
    if raw in (None, ""):
        return None
    try:
        return FLAG_WORDS[raw.strip().lower()]
    except KeyError:
        raise ValidationError("Give true or false.") from None


def instant_from_text(raw: str) -> datetime:
    """An ISO 8601 date-time with its UTC offset, refused when malformed, naive or out of
    range."""
    try:
        value = parse_datetime(raw.strip()) if len(raw) <= 40 else None
    except ValueError:
        value = None
    if value is None:
        raise ValidationError(BAD_INSTANT, code="invalid")
    if value.tzinfo is None:
        raise ValidationError(NAIVE_INSTANT, code="naive")
    validate_in_range(value)
    return value


def install_date_range() -> None:
    """Make the range part of every date and date-time field, form or serializer, the admin's
    included (CoreConfig.ready calls this once).

    Default validators rather than a subclass at each of some twenty declarations: a field
    added tomorrow is covered without anyone remembering to. Django appends a field's own
    validators to these; DRF uses these unless a field names its own `validators`."""
    from django import forms
    from rest_framework import serializers

    for field_class in (forms.DateField, forms.DateTimeField):
        field_class.default_validators = [validate_in_range]
    for drf_class in (serializers.DateField, serializers.DateTimeField):
        # The stubs make DRF's fields generic; the attribute is the class's own list.
        drf_class.default_validators = [validate_in_range]  # type: ignore[misc]


# --- Text: no control characters ------------------------------------------------------------

# C0 controls and DEL, except tab, line feed and carriage return (multi-line text keeps them).
# A NUL cannot be stored by PostgreSQL at all (DataError, a 500); the others mean nothing in a
# name or a note and break what reads them later (a spreadsheet export, a terminal, a mail).
_CONTROL = {c for c in range(32) if chr(c) not in "\t\n\r"} | {0x7F}
CONTROL_TABLE = dict.fromkeys(_CONTROL)
CONTROL_MESSAGE = "Remove the control characters (such as NUL) from this text."
_ANY_CONTROL = {*_CONTROL, ord("\t"), ord("\n"), ord("\r")}


def has_control_characters(value: str, *, multiline: bool = True) -> bool:
    """Whether `value` holds a control character; tab and line breaks count only when the
    text is a single line (a path, a query parameter, a token)."""
    forbidden = _CONTROL if multiline else _ANY_CONTROL
    return any(ord(ch) in forbidden for ch in value)


def validate_no_control_characters(value: object) -> None:
    # NUL is left to the ProhibitNullCharactersValidator Django and DRF put on every CharField
    # already, so a value with a NUL gets one message, not two.
    if isinstance(value, str) and has_control_characters(value.replace("\x00", "")):
        raise ValidationError(CONTROL_MESSAGE, code="control_characters")


def without_control_characters(value: str) -> str:
    """The text with every control character but tab and line breaks dropped (for output
    that must not fail on one, such as a spreadsheet cell)."""
    return value.translate(CONTROL_TABLE)


def install_text_rule() -> None:
    """Make the rule part of every text field, form or serializer (CoreConfig.ready), as
    install_date_range does for dates: Django and DRF already refuse NUL in their CharField;
    this refuses the other control characters too, with the field's own message."""
    from django import forms
    from rest_framework import serializers

    forms.CharField.default_validators = [validate_no_control_characters]
    # The stubs type DRF's fields as generics; the class attribute is the same for all.
    serializers.CharField.default_validators = [validate_no_control_characters]  # type: ignore[misc]
