"""Checks of single values shared by the services, the import and the forms."""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

import phonenumbers
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from trainerhub.accounts.models import User

DATE_FORMATS_HELP = "Use a date like 2024-03-31 or 31/03/2024."


def today_for(trainer: User) -> date:
    """Today's date where the trainer works (a birthday 'in the future' is by their calendar)."""
    from django.utils import timezone

    from trainerhub.core.timezones import is_valid_timezone, zone

    name = trainer.timezone or "UTC"
    return timezone.now().astimezone(zone(name if is_valid_timezone(name) else "UTC")).date()


def default_phone_region() -> str:
    return getattr(settings, "DEFAULT_PHONE_REGION", "GB")


def phone_region_for(trainer: User) -> str:
    """The country a number without a country code is read in: the trainer's own setting,
    else the country of their timezone; '' (only international numbers) when neither says."""
    from trainerhub.core.countries import country_for_timezone

    return getattr(trainer, "country", "") or country_for_timezone(getattr(trainer, "timezone", ""))


def phone_example(region: str) -> str:
    """A mobile number of the country, as people there write it and with its code:
    '01512 3456789 or +49 1512 3456789'."""
    number = phonenumbers.example_number_for_type(region, phonenumbers.PhoneNumberType.MOBILE)
    if not region or number is None:
        return "+44 7911 123456"
    national = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
    international = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
    return f"{national} or {international}"


def phone_help(region: str) -> str:
    """What a form says under a phone field: which country a number is read in."""
    from trainerhub.core.countries import country_name

    if not region:
        return "Start with + and the country code, e.g. +44 7911 123456."
    return (
        f"Numbers without a country code are read as numbers in {country_name(region)}, "
        f"e.g. {phone_example(region)}."
    )


def clean_phone(value: str, *, region: str | None = None) -> str:
    """A valid phone number in E.164 form ('+447700900123'); '' stays ''. A national number
    is read in `region` (an ISO country code; None means the site's default, '' means
    only international numbers are understood)."""
    value = (value or "").strip()
    if not value:
        return ""
    region = default_phone_region() if region is None else region
    wrong = f"Enter a valid phone number, e.g. {phone_example(region)}."
    try:
        number = phonenumbers.parse(value, region or None)
    except phonenumbers.NumberParseException as exc:
        raise ValidationError(wrong) from exc
    if not phonenumbers.is_valid_number(number):
        raise ValidationError(wrong)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def clean_email(value: str) -> str:
    value = (value or "").strip()
    if not value:
        return ""
    if len(value) > 254:
        raise ValidationError("Ensure this value has at most 254 characters.")
    try:
        validate_email(value)
    except ValidationError as exc:
        raise ValidationError("Enter a valid email address.") from exc
    # The domain part is case-insensitive; the local part is kept as typed.
    local, _, domain = value.rpartition("@")
    return f"{local}@{domain.lower()}"


def _in_range(value: date) -> date:
    from trainerhub.core.validation import validate_in_range  # the product's one date range

    validate_in_range(value)
    return value


def parse_date(value: Any) -> date | None:
    """ISO (2024-03-31) or day-first (31/03/2024, 31.03.2024, 31-03-2024)."""
    if value in (None, ""):
        return None
    if isinstance(value, date):
        return _in_range(value)
    text = str(value).strip()
    try:
        return _in_range(date.fromisoformat(text))
    except ValueError:
        pass
    for sep in ("/", ".", "-"):
        parts = text.split(sep)
        if len(parts) == 3 and all(p.isdigit() for p in parts) and len(parts[2]) == 4:
            try:
                return _in_range(date(int(parts[2]), int(parts[1]), int(parts[0])))
            except ValueError:
                break
    raise ValidationError(f"Not a valid date. {DATE_FORMATS_HELP}")


def clean_date_of_birth(value: Any, *, today: date) -> date | None:
    parsed = parse_date(value)
    if parsed is None:
        return None
    if parsed > today:
        raise ValidationError("The date of birth cannot be in the future.")
    if parsed.year < 1900:
        raise ValidationError("Enter a date of birth after 1900.")
    return parsed


_YES = {"yes", "y", "true", "1", "on"}
_NO = {"no", "n", "false", "0", "off"}


def clean_custom_value(kind: str, value: Any, choices: list[str]) -> Any:
    """One intake answer checked and converted for JSON storage by the field's kind."""
    if kind == "number":
        if isinstance(value, bool):
            raise ValidationError("Enter a number.")
        try:
            number = Decimal(str(value).strip().replace(",", "."))
        except InvalidOperation as exc:
            raise ValidationError("Enter a number.") from exc
        if not number.is_finite() or abs(number) > Decimal("1e12"):
            raise ValidationError("Enter a number.")
        return int(number) if number == number.to_integral_value() else float(number)
    if kind == "yesno":
        if isinstance(value, bool):
            return value
        text = str(value).strip().lower()
        if text in _YES:
            return True
        if text in _NO:
            return False
        raise ValidationError("Answer yes or no.")
    if kind == "date":
        return parse_date(value).isoformat()  # type: ignore[union-attr]
    if not isinstance(value, str | int | float) or isinstance(value, bool):
        raise ValidationError("Enter text.")
    text = str(value).strip()
    if kind == "choice":
        if text not in choices:
            raise ValidationError(f"Choose one of: {', '.join(choices)}.")
        return text
    if len(text) > 2000:
        raise ValidationError("Ensure this value has at most 2000 characters.")
    return text
