"""Trainer accounts: registration, sign-in, profile and password changes.

Pages, the API and the admin all call these functions, so a rule about accounts (is this
address taken? is this account locked?) is decided here and nowhere else.
"""

from __future__ import annotations

from typing import Any

import phonenumbers
from django.contrib.auth import authenticate, password_validation, user_logged_in
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.text import slugify

from trainerhub.accounts.emails import canonical_email
from trainerhub.accounts.lockout import lockout_message
from trainerhub.accounts.models import User, slug_validator
from trainerhub.accounts.verification import verification_send
from trainerhub.core.countries import is_country
from trainerhub.core.currencies import CURRENCY_CODES
from trainerhub.core.errors import DomainError, InvalidInput
from trainerhub.core.events import emit
from trainerhub.core.timezones import is_valid_timezone

EMAIL_TAKEN = "An account with this email address already exists."
SLUG_TAKEN = "This address is already taken by another practice; choose another."
BAD_CREDENTIALS = "The email address or password is not correct."
PROFILE_FIELDS = (
    "name",
    "business_name",
    "slug",
    "timezone",
    "country",
    "phone",
    "bio",
    "currency",
)
_MAX_LENGTHS = {"name": 150, "business_name": 150, "bio": 2000}


class AccountLocked(DomainError):
    """Too many failed sign-ins: the account refuses every password for a while."""

    status = 429

    def __init__(self) -> None:
        super().__init__(lockout_message(), code="account_locked")


class LoginFailed(DomainError):
    status = 401

    def __init__(self) -> None:
        super().__init__(BAD_CREDENTIALS, code="invalid_credentials")


def normalize_email(email: str) -> str:
    # The one spelling (trainerhub.accounts.emails): "Alice@X" and "alice@x" are one login
    # for the lockout as well.
    return canonical_email(email)


# --- Field rules -----------------------------------------------------------------------------


def _check_text(errors: dict[str, list[str]], field: str, value: str, *, required: bool) -> str:
    value = value.strip()
    if required and not value:
        errors.setdefault(field, []).append("This field is required.")
    limit = _MAX_LENGTHS[field]
    if len(value) > limit:
        errors.setdefault(field, []).append(f"Use at most {limit} characters.")
    return value


def _check_timezone(errors: dict[str, list[str]], value: str) -> str:
    if not is_valid_timezone(value):
        errors["timezone"] = [
            f"“{value[:64]}” is not a timezone we know; pick one such as Europe/London."
        ]
    return value


def _check_country(errors: dict[str, list[str]], value: str) -> str:
    # Blank is allowed: it means "the country of my timezone".
    value = value.strip().upper()
    if value and not is_country(value):
        errors["country"] = ["Pick a country from the list."]
    return value


def _check_phone(errors: dict[str, list[str]], value: str) -> str:
    value = value.strip()
    if not value:
        return ""
    message = "Enter a valid phone number with its country code, e.g. +44 20 7946 0958."
    try:
        number = phonenumbers.parse(value[:40], None)
    except phonenumbers.NumberParseException:
        errors["phone"] = [message]
        return value
    if not phonenumbers.is_valid_number(number):
        errors["phone"] = [message]
        return value
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def _check_currency(errors: dict[str, list[str]], value: str) -> str:
    value = value.strip().upper()
    if value not in CURRENCY_CODES:
        errors["currency"] = [f"Pick one of: {', '.join(sorted(CURRENCY_CODES))}."]
    return value


def _check_slug(errors: dict[str, list[str]], value: str, *, user: User) -> str | None:
    value = value.strip().lower()
    if not value:
        return None
    try:
        slug_validator(value)
    except ValidationError as exc:
        errors["slug"] = list(exc.messages)
        return value
    if User.objects.filter(slug=value).exclude(pk=user.pk).exists():
        errors["slug"] = [SLUG_TAKEN]
    return value


def _check_password(errors: dict[str, list[str]], field: str, password: str, user: User) -> None:
    try:
        password_validation.validate_password(password, user=user)
    except ValidationError as exc:
        errors[field] = list(exc.messages)


def unique_slug(base: str) -> str:
    """A free public URL slug made from a practice's or person's name."""
    stem = slugify(base)[:44].strip("-") or "trainer"
    if len(stem) < 3:
        stem = f"{stem}-trainer"
    candidate, n = stem, 1
    while User.objects.filter(slug=candidate).exists():
        n += 1
        candidate = f"{stem}-{n}"
    return candidate


# --- Registration and sign-in ---------------------------------------------------------------


def trainer_register_errors(fields: dict[str, str]) -> dict[str, list[str]]:
    """trainer_register's messages on these fields (any subset of its arguments), so the API
    can answer them together with its own field messages: every error at once."""
    values = {"email": "", "password": "", "name": "", "timezone": "", "business_name": ""}
    errors, _user = _registration_checked(**{**values, **fields})
    return {field: messages for field, messages in errors.items() if field in fields}


def _registration_checked(
    *, email: str, password: str, name: str, timezone: str, business_name: str
) -> tuple[dict[str, list[str]], User]:
    errors: dict[str, list[str]] = {}
    email = normalize_email(email)
    try:
        validate_email(email)
    except ValidationError:
        errors["email"] = ["Enter a valid email address."]
    if len(email) > 254:
        errors["email"] = ["Use at most 254 characters."]
    if "email" not in errors and User.objects.filter(email__iexact=email).exists():
        errors["email"] = [EMAIL_TAKEN]
    name = _check_text(errors, "name", name, required=True)
    business_name = _check_text(errors, "business_name", business_name, required=False)
    _check_timezone(errors, timezone)
    user = User(email=email, name=name, business_name=business_name, timezone=timezone)
    _check_password(errors, "password", password, user)
    return errors, user


@transaction.atomic
def trainer_register(
    *, email: str, password: str, name: str, timezone: str, business_name: str = ""
) -> User:
    errors, user = _registration_checked(
        email=email, password=password, name=name, timezone=timezone, business_name=business_name
    )
    if errors:
        raise InvalidInput(errors)
    email = user.email
    user.role = User.Role.TRAINER
    user.slug = unique_slug(user.business_name or user.name)
    user.set_password(password)
    try:
        # A savepoint, so a registration racing this one turns into the same clear message.
        with transaction.atomic():
            user.save()
            # Inside the transaction: the welcome email's outbox row commits with the account.
            emit("trainer.registered", user=user)
    except IntegrityError as exc:
        if User.objects.filter(email__iexact=email).exists():
            raise InvalidInput({"email": [EMAIL_TAKEN]}) from exc
        raise
    # Mailed once the account commits; until followed the booking page stays off.
    verification_send(user=user)
    return user


def trainer_authenticate(*, request: Any, email: str, password: str) -> User:
    """The one place deciding a trainer's sign-in, for pages and the API alike.

    django-axes watches `authenticate()`: it counts each failure for the address and, once
    the limit is reached, marks the request as locked out and refuses even the right password.
    """
    django_request: HttpRequest = getattr(request, "_request", request)  # DRF wraps the request
    user = authenticate(request=django_request, email=normalize_email(email), password=password)
    if getattr(django_request, "axes_locked_out", False):
        raise AccountLocked()
    if user is None or not getattr(user, "is_trainer", False):
        raise LoginFailed()
    return user


def trainer_issue_tokens(*, request: Any, user: User) -> dict[str, str]:
    """An API sign-in: a JWT pair, and the same "logged in" signal a page sign-in sends, so
    last_login is kept and axes forgets the earlier failures (AXES_RESET_ON_SUCCESS)."""
    from trainerhub.accounts.tokens import issue_pair

    pair = issue_pair(user)
    django_request: HttpRequest = getattr(request, "_request", request)
    user_logged_in.send(sender=user.__class__, request=django_request, user=user)
    return pair


# --- Profile and password ---------------------------------------------------------------------


@transaction.atomic
def profile_update(*, user: User, **fields: Any) -> User:
    unknown = set(fields) - set(PROFILE_FIELDS)
    if unknown:
        raise InvalidInput({key: ["This field cannot be changed here."] for key in sorted(unknown)})
    errors: dict[str, list[str]] = {}
    cleaned: dict[str, Any] = {}
    for field, raw in fields.items():
        value = "" if raw is None else str(raw)
        if field in _MAX_LENGTHS:
            cleaned[field] = _check_text(errors, field, value, required=field == "name")
        elif field == "timezone":
            cleaned[field] = _check_timezone(errors, value.strip())
        elif field == "country":
            cleaned[field] = _check_country(errors, value)
        elif field == "phone":
            cleaned[field] = _check_phone(errors, value)
        elif field == "currency":
            cleaned[field] = _check_currency(errors, value)
        elif field == "slug":
            cleaned[field] = _check_slug(errors, value, user=user)
    if errors:
        raise InvalidInput(errors)
    for field, value in cleaned.items():
        setattr(user, field, value)
    try:
        with transaction.atomic():
            user.save(update_fields=[*cleaned] or None)
    except IntegrityError as exc:
        # Another trainer took the slug between our check and the save.
        raise InvalidInput({"slug": [SLUG_TAKEN]}) from exc
    return user


@transaction.atomic
def password_change(*, user: User, old_password: str, new_password: str) -> User:
    if not user.check_password(old_password):
        raise InvalidInput({"old_password": ["Your current password was entered incorrectly."]})
    errors: dict[str, list[str]] = {}
    _check_password(errors, "new_password", new_password, user)
    if errors:
        raise InvalidInput(errors)
    user.set_password(new_password)
    user.save(update_fields=["password"])
    revoke_refresh_tokens(user=user)
    return user


def revoke_refresh_tokens(*, user: User, because: str = "password") -> int:
    """Signs every API client of this account out (after a password change or reset): its
    refresh tokens are blacklisted and its access tokens stop at once (accounts/tokens.py)."""
    from rest_framework_simplejwt.token_blacklist.models import BlacklistedToken, OutstandingToken

    from trainerhub.accounts.tokens import revoke_user_families

    revoke_user_families(user, because=because)
    revoked = 0
    for token in OutstandingToken.objects.filter(user=user, blacklistedtoken__isnull=True):
        BlacklistedToken.objects.get_or_create(token=token)
        revoked += 1
    return revoked


def password_reset_completed(*, user: User) -> None:
    """A reset proves the owner is back: lift the lockout and sign out old API sessions."""
    from axes.utils import reset

    reset(username=normalize_email(user.email))
    revoke_refresh_tokens(user=user)


def user_set_active(*, users: QuerySet[User], active: bool) -> int:
    """Activate or deactivate accounts (the admin's actions); a deactivated one cannot sign in."""
    count = users.update(is_active=active)
    if not active:
        for user in users:
            revoke_refresh_tokens(user=user, because="deactivated")
    return count
