"""Writes of the portal: a visitor's booking, changes through a manage link or a client
account, client accounts, and the trainer's page settings.

The rules themselves live in scheduling and clients; these functions only add what is the
portal's own (the cancellation window, who may link an account to which client record).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from typing import Any

from django.contrib.auth import authenticate
from django.core.exceptions import ValidationError
from django.db import transaction

from trainerhub.accounts.emails import canonical_email
from trainerhub.accounts.models import User
from trainerhub.billing import online
from trainerhub.clients.models import Client
from trainerhub.clients.services import (
    client_match_or_create_for_booking,
    custom_fields_validate,
)
from trainerhub.core.errors import InvalidInput, NotAllowed
from trainerhub.core.tenancy import TrainerRef, trainer_id_of
from trainerhub.core.timezones import is_valid_timezone
from trainerhub.portal.answers import booking_answers_record
from trainerhub.portal.models import PortalSettings, new_invite_code
from trainerhub.portal.selectors import (
    cancellation_would_be_late,
    change_refusal,
    portal_settings_for,
)
from trainerhub.scheduling.models import Booking, Service
from trainerhub.scheduling.purchase import NOTHING, Purchase
from trainerhub.scheduling.services import booking_cancel, booking_create, booking_reschedule

# Never says whether an account or a client with this email exists.
ACCOUNT_REFUSED = (
    "We could not create an account with these details. If you already have an account, "
    "log in with it instead."
)


@transaction.atomic
def public_booking_create(
    *,
    trainer: User,
    service: Service,
    start: datetime,
    first_name: str,
    last_name: str,
    email: str,
    phone: str = "",
    note: str = "",
    fields: dict[str, Any] | None = None,
    actor_user: Any = None,
    tz: str = "",
    purchase: Purchase = NOTHING,
) -> Booking:
    """A visitor books a service: matched to their client record by email, then booked under
    every slot rule. Nothing is kept if the slot is refused (one transaction).

    Typing an address proves nothing, so a record that exists is not changed: what the
    visitor typed (name, phone, answers) is kept with the booking for the trainer to apply
    or ignore (BookingAnswers). `tz`, the zone the visitor saw the times in, is kept on a
    record this booking creates, so every message to them speaks their time."""
    try:
        answers = custom_fields_validate(
            trainer=trainer, values=fields or {}, enforce_required=True, booking_form_only=True
        )
    except InvalidInput as exc:
        raise InvalidInput({"fields": exc.errors["custom_fields"]}) from exc
    client, created = client_match_or_create_for_booking(
        trainer=trainer,
        first_name=first_name,
        last_name=last_name,
        email=email,
        phone=phone,
        custom_fields=answers or None,
    )
    if created and tz and is_valid_timezone(tz) and client.timezone != tz:
        Client.objects.filter(pk=client.pk).update(timezone=tz)
        client.timezone = tz
    if online.payments_offered(trainer):
        # What is due now is paid online; the booking waits for it as pending_payment.
        purchase = replace(purchase, pay_online=True)
    booking = booking_create(
        trainer=trainer,
        client=client,
        service=service,
        start=start,
        notes=note,
        source=Booking.Source.CLIENT,
        actor_user=actor_user,
        purchase=purchase,
    )
    if booking.status == Booking.Status.PENDING_PAYMENT:
        online.hold_open(booking=booking)
    if not created:
        booking_answers_record(
            booking=booking,
            first_name=first_name,
            last_name=last_name,
            phone=phone,
            custom_fields=answers or {},
        )
    return booking


def _check_client_may_change(booking: Booking, *, lock: bool) -> Booking:
    """The booking as it is now (row-locked with `lock`), or NotAllowed when the client may
    no longer change it: every client-facing write asks here, whichever surface called.

    Reschedule does not lock here: booking_reschedule takes the trainer's write guard first
    and the row second, and taking them in the other order could deadlock two writers."""
    rows = Booking.objects.filter(pk=booking.pk, trainer_id=booking.trainer_id)
    current = (rows.select_for_update() if lock else rows).get()
    refusal = change_refusal(current)
    if refusal is not None:
        raise NotAllowed(refusal, code="no_longer_changeable")
    return current


@transaction.atomic
def client_cancel(*, booking: Booking, reason: str, actor_user: Any = None) -> Booking:
    """The client cancels; inside the trainer's window it is allowed but recorded as late.
    The reason rule is booking_cancel's (one rule for every actor)."""
    current = _check_client_may_change(booking, lock=True)
    return booking_cancel(
        booking=booking,
        actor=Booking.Source.CLIENT,
        actor_user=actor_user,
        reason=reason,
        late=cancellation_would_be_late(current),
    )


@transaction.atomic
def client_reschedule(*, booking: Booking, start: datetime, actor_user: Any = None) -> Booking:
    _check_client_may_change(booking, lock=False)
    return booking_reschedule(
        booking=booking, start=start, actor=Booking.Source.CLIENT, actor_user=actor_user
    )


def client_authenticate(*, request: Any, email: str, password: str) -> User:
    """A client's sign-in, for pages and the API alike (django-axes counts the failures)."""
    from trainerhub.accounts.services import AccountLocked, LoginFailed

    django_request = getattr(request, "_request", request)
    user = authenticate(request=django_request, email=canonical_email(email), password=password)
    if getattr(django_request, "axes_locked_out", False):
        raise AccountLocked()
    if user is None or getattr(user, "role", "") != User.Role.CLIENT:
        raise LoginFailed()
    return user


@transaction.atomic
def portal_settings_update(
    *,
    trainer: TrainerRef,
    enabled: bool,
    cancellation_window_hours: int,
    welcome_text: str,
    bookable_service_ids: list[int],
) -> PortalSettings:
    settings = PortalSettings.objects.select_for_update().get(pk=portal_settings_for(trainer).pk)
    settings.enabled = enabled
    settings.cancellation_window_hours = cancellation_window_hours
    settings.welcome_text = welcome_text
    try:
        settings.full_clean(exclude=["trainer"])
    except ValidationError as exc:
        raise InvalidInput(exc.message_dict) from exc
    settings.save()
    services = Service.objects.filter(trainer_id=trainer_id_of(trainer))
    services.filter(pk__in=bookable_service_ids).update(bookable_online=True)
    services.exclude(pk__in=bookable_service_ids).update(bookable_online=False)
    return settings


@transaction.atomic
def portal_invite_regenerate(*, trainer: TrainerRef) -> PortalSettings:
    """A new invite code; the old link stops working at once."""
    settings = portal_settings_for(trainer)
    settings.invite_code = new_invite_code()
    settings.save(update_fields=["invite_code", "updated_at"])
    return settings
