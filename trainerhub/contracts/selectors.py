"""Reads of contracts: every one names the trainer (or comes through a private token)."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from trainerhub.contracts.models import Contract, ContractEvent, ContractTemplate, Signature
from trainerhub.core.access import get_owned_or_404
from trainerhub.core.errors import InvalidInput
from trainerhub.core.tenancy import TrainerRef, id_of, trainer_id_of

STATUS_FILTERS = (*Contract.Status.values, Contract.EXPIRED)


def templates_for_trainer(*, trainer: TrainerRef) -> QuerySet[ContractTemplate]:
    return (
        ContractTemplate.objects.for_trainer(trainer)
        .defer("pdf")
        .prefetch_related("services")
        .order_by("name", "id")
    )


def template_get_for_trainer(*, trainer: TrainerRef, pk: Any) -> ContractTemplate:
    return get_owned_or_404(
        ContractTemplate.objects.prefetch_related("services"), trainer=trainer, pk=pk
    )


def active_templates(*, trainer: TrainerRef) -> QuerySet[ContractTemplate]:
    return templates_for_trainer(trainer=trainer).filter(is_active=True)


def _light(queryset: QuerySet[Contract]) -> QuerySet[Contract]:
    # Lists never load the frozen document or the PDFs.
    return queryset.select_related("client", "booking", "booking__service").defer(
        "document_html", "document_pdf", "final_pdf"
    )


def contracts_for_trainer(
    *,
    trainer: TrainerRef,
    client: Any = None,
    booking: Any = None,
    status: str = "",
) -> QuerySet[Contract]:
    rows = Contract.objects.for_trainer(trainer)
    if client not in (None, ""):
        rows = rows.filter(client_id=_id(client, "client"))
    if booking not in (None, ""):
        rows = rows.filter(booking_id=_id(booking, "booking"))
    if status:
        if status not in STATUS_FILTERS:
            raise InvalidInput({"status": [f"Use one of: {', '.join(STATUS_FILTERS)}."]})
        now = timezone.now()
        open_q = Q(status__in=Contract.OPEN_STATUSES)
        if status == Contract.EXPIRED:
            rows = rows.filter(open_q, expires_at__lte=now)
        elif status in Contract.OPEN_STATUSES:
            rows = rows.filter(
                Q(status=status) & (Q(expires_at__isnull=True) | Q(expires_at__gt=now))
            )
        else:
            rows = rows.filter(status=status)
    return _light(rows).order_by("-created_at", "-id")


def _id(value: Any, name: str) -> int:
    if hasattr(value, "pk"):
        return id_of(value)
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise InvalidInput({name: [f"Give the {name}'s id as a number."]}) from None
    if number <= 0:
        raise InvalidInput({name: [f"Give the {name}'s id as a number."]})
    return number


def contract_get_for_trainer(*, trainer: TrainerRef, pk: Any) -> Contract:
    return get_owned_or_404(
        Contract.objects.select_related("client", "booking", "booking__service", "trainer"),
        trainer=trainer,
        pk=pk,
    )


def contract_for_token(token: str) -> Contract:
    """The contract of a signing link, whatever its state (the caller checks it), else 404."""
    if not isinstance(token, str) or not 20 <= len(token) <= 64:
        raise Http404
    contract = (
        Contract.objects.select_related("client", "trainer", "booking", "booking__service")
        .filter(token=token)
        .first()
    )
    if contract is None:
        raise Http404
    return contract


def events_of(contract: Contract) -> list[ContractEvent]:
    return list(ContractEvent.objects.filter(contract=contract).order_by("seq"))


def signatures_of(contract: Contract) -> list[Signature]:
    return list(Signature.objects.filter(contract=contract).order_by("signed_at", "id"))


def contracts_for_booking(*, trainer: TrainerRef, booking: Any) -> list[Contract]:
    return list(contracts_for_trainer(trainer=trainer, booking=booking))


def contracts_for_client(*, trainer: TrainerRef, client: Any) -> list[Contract]:
    return list(contracts_for_trainer(trainer=trainer, client=client))


def open_contracts_for_account(*, user: Any) -> list[Contract]:
    """The documents waiting for a portal client's signature, across their trainers (for the
    portal's "My appointments")."""
    now = timezone.now()
    rows = (
        Contract.objects.filter(
            client__account_id=user.pk,
            client__erased_at__isnull=True,
            status__in=Contract.OPEN_STATUSES,
            expires_at__gt=now,
        )
        .select_related("trainer")
        .defer("document_html", "document_pdf", "final_pdf")
        .order_by("expires_at", "id")
    )
    return list(rows)


def signed_contracts_for_account(*, user: Any) -> list[Contract]:
    rows = (
        Contract.objects.filter(
            client__account_id=user.pk,
            client__erased_at__isnull=True,
            status=Contract.Status.COMPLETED,
        )
        .select_related("trainer")
        .defer("document_html", "document_pdf", "final_pdf")
        .order_by("-completed_at", "-id")
    )
    return list(rows)


def contract_for_account(*, user: Any, pk: Any) -> Contract:
    from trainerhub.core.access import row_or_404

    return row_or_404(
        Contract.objects.filter(
            client__account_id=user.pk,
            client__erased_at__isnull=True,
            status=Contract.Status.COMPLETED,
        ),
        pk,
    )


def contract_by_final_hash(*, trainer: TrainerRef, digest: str) -> Contract | None:
    return (
        Contract.objects.filter(trainer_id=trainer_id_of(trainer), final_sha256=digest)
        .select_related("client")
        .defer("document_html", "document_pdf", "final_pdf")
        .first()
    )


def contracts_for_bookings(*, trainer: TrainerRef, bookings: list[Any]) -> list[Contract]:
    """The contracts of several bookings at once (a group session's attendees): one query."""
    ids = [id_of(b) for b in bookings]
    return list(
        _light(Contract.objects.for_trainer(trainer).filter(booking_id__in=ids)).order_by(
            "client__first_name", "id"
        )
    )
