"""Answers a visitor typed when their booking matched an existing client by email.

A public booking never writes onto an existing client's record (portal.services): the answers
wait here, and the trainer applies them to the record or ignores them from the client page.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from trainerhub.clients.models import Client
from trainerhub.clients.services import client_update
from trainerhub.core.access import get_owned_or_404
from trainerhub.core.errors import NotAllowed
from trainerhub.core.tenancy import TrainerRef, trainer_id_of
from trainerhub.portal.models import BookingAnswers
from trainerhub.scheduling.models import Booking

ALREADY_DECIDED = "These answers were already applied or ignored."


def booking_answers_record(
    *, booking: Booking, first_name: str, last_name: str, phone: str, custom_fields: dict
) -> BookingAnswers | None:
    """Keep what the visitor typed, if it says anything the record does not already say."""
    client = booking.client
    differs = (
        (phone and phone != client.phone)
        or (first_name.strip(), last_name.strip()) != (client.first_name, client.last_name)
        or any(client.custom_fields.get(k) != v for k, v in custom_fields.items())
    )
    if not differs:
        return None
    return BookingAnswers.objects.create(
        trainer_id=booking.trainer_id,
        booking=booking,
        first_name=first_name.strip()[:100],
        last_name=last_name.strip()[:100],
        phone=phone[:40],
        custom_fields=custom_fields,
    )


def pending_answers_for_client(*, trainer: TrainerRef, client: Client) -> QuerySet[BookingAnswers]:
    return (
        BookingAnswers.objects.filter(
            trainer_id=trainer_id_of(trainer),
            booking__client=client,
            decision=BookingAnswers.Decision.PENDING,
        )
        .select_related("booking")
        .order_by("created_at", "id")
    )


def booking_answers_get(*, trainer: TrainerRef, pk: Any) -> BookingAnswers:
    """The trainer's answers with this id, else 404."""
    return get_owned_or_404(
        BookingAnswers.objects.select_related("booking__client"), trainer=trainer, pk=pk
    )


@transaction.atomic
def booking_answers_decide(*, answers: BookingAnswers, apply: bool) -> BookingAnswers:
    """The trainer applies the answers (phone and intake answers onto the record) or ignores
    them; either way they are decided once."""
    locked = BookingAnswers.objects.select_for_update().get(pk=answers.pk)
    if locked.decision:
        raise NotAllowed(ALREADY_DECIDED, code="already_decided")
    if apply:
        client = Client.objects.select_for_update().get(pk=locked.booking.client_id)
        changes: dict[str, Any] = {
            "custom_fields": {**client.custom_fields, **locked.custom_fields}
        }
        if locked.phone:
            changes["phone"] = locked.phone
        client_update(client=client, **changes)
    locked.decision = BookingAnswers.Decision.APPLIED if apply else BookingAnswers.Decision.IGNORED
    locked.decided_at = timezone.now()
    locked.save(update_fields=["decision", "decided_at"])
    return locked
