"""The rules of contracts: templates, sending (freezing), signing, declining, voiding, and the
automatic send when a service that requires a template is booked."""

from __future__ import annotations

import io
import secrets
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from trainerhub.contracts import documents, evidence, rendering, sealing
from trainerhub.contracts.evidence import Actor
from trainerhub.contracts.models import (
    Contract,
    ContractEvent,
    ContractTemplate,
    Signature,
    Signers,
)
from trainerhub.contracts.signing_input import SignatureInput, parse_signature
from trainerhub.core.errors import DomainError, InvalidInput, NotAllowed
from trainerhub.core.events import emit
from trainerhub.core.tenancy import TrainerRef, trainer_id_of

MAX_PDF_BYTES = 10 * 1024 * 1024
Kind = ContractEvent.Kind
Status = Contract.Status


class LinkGone(DomainError):
    """A signing link that no longer works (signed, declined, voided, expired): 410."""

    status = 410

    def __init__(self, detail: str, *, code: str = "gone") -> None:
        super().__init__(detail, code=code, field="detail")


# --- Templates --------------------------------------------------------------------------------


def check_pdf(data: bytes) -> int:
    """The page count of an uploaded PDF template, or InvalidInput."""
    if len(data) > MAX_PDF_BYTES:
        raise InvalidInput({"pdf": ["The PDF is over 10 MB."]})
    if not data.startswith(b"%PDF-"):
        raise InvalidInput({"pdf": ["Upload a PDF file."]})
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            raise InvalidInput({"pdf": ["The PDF is password-protected: upload an open copy."]})
        return len(reader.pages)
    except (PyPdfError, ValueError, KeyError, TypeError):
        raise InvalidInput({"pdf": ["The PDF cannot be read: it may be damaged."]}) from None


TEMPLATE_FIELDS = (
    "name",
    "body",
    "fields",
    "signers",
    "required_when",
    "expires_days",
    "is_active",
    "stamp_page",
    "stamp_x_mm",
    "stamp_y_mm",
)


def _apply(template: ContractTemplate, data: dict[str, Any]) -> list[Any] | None:
    errors: dict[str, list[str]] = {}
    services: list[Any] | None = data.pop("services", None)
    pdf = data.pop("pdf", None)
    pdf_name = data.pop("pdf_name", None)
    for key in TEMPLATE_FIELDS:
        if key in data:
            setattr(template, key, data[key])
    template.name = (template.name or "").strip()
    if not template.name:
        errors["name"] = ["Give the template a name."]
    elif len(template.name) > 150:
        errors["name"] = ["150 characters at most."]
    if template.signers not in Signers.values:
        errors["signers"] = ["Choose who signs: the client, or the client then you."]
    if template.required_when not in ContractTemplate.Requirement.values:
        errors["required_when"] = ["Choose when a booking needs it."]
    if not 1 <= int(template.expires_days or 0) <= 365:
        errors["expires_days"] = ["The link works 1 to 365 days."]
    if errors:
        raise InvalidInput(errors)
    template.fields = documents.check_fields(template.fields)
    if pdf is not None:
        pages = check_pdf(pdf)
        template.pdf, template.pdf_name = pdf, (pdf_name or "document.pdf")[:200]
        if template.stamp_page > pages:
            raise InvalidInput({"stamp_page": [f"The PDF has {pages} page(s)."]})
    if template.stamp_x_mm > 400 or template.stamp_y_mm > 600:
        raise InvalidInput({"stamp_x_mm": ["Place the signature on the page (in mm)."]})
    template.body = documents.check_body(template.body) if template.body else ""
    if not template.body and not template.pdf:
        raise InvalidInput({"body": ["Write the document, or upload a PDF."]})
    return services


def _set_services(template: ContractTemplate, services: list[Any] | None) -> None:
    if services is None:
        return
    from trainerhub.scheduling.models import Service

    ids = [getattr(s, "pk", s) for s in services]
    found = list(Service.objects.filter(trainer_id=template.trainer_id, pk__in=ids))
    if len(found) != len(set(ids)):
        raise InvalidInput({"services": ["Choose among your own services."]})
    template.services.set(found)


@transaction.atomic
def template_create(*, trainer: TrainerRef, **data: Any) -> ContractTemplate:
    template = ContractTemplate(trainer_id=trainer_id_of(trainer))
    services = _apply(template, dict(data))
    template.save()
    _set_services(template, services)
    return template


@transaction.atomic
def template_update(*, template: ContractTemplate, **data: Any) -> ContractTemplate:
    services = _apply(template, dict(data))
    template.save()
    _set_services(template, services)
    return template


@transaction.atomic
def template_delete(*, template: ContractTemplate) -> None:
    # Sent contracts keep their frozen copy; they only lose the link to the template.
    template.delete()


# --- Creating and sending ---------------------------------------------------------------------


def trainer_actor(user: Any, ip: str | None = None, user_agent: str = "") -> Actor:
    return Actor(
        ip_address=ip,
        user_agent=user_agent,
        identified_by=f"Trainer signed in to TrainerHub as {user.email}",
    )


def _lock(contract: Contract) -> Contract:
    return (
        Contract.objects.select_for_update().select_related("client", "trainer").get(pk=contract.pk)
    )


@transaction.atomic
def contract_create(
    *,
    trainer: TrainerRef,
    template: ContractTemplate,
    client: Any,
    booking: Any | None = None,
    actor: Actor,
) -> Contract:
    trainer_id = trainer_id_of(trainer)
    if template.trainer_id != trainer_id or client.trainer_id != trainer_id:
        raise InvalidInput({"template": ["Choose one of your own templates and clients."]})
    if booking is not None and booking.client_id != client.pk:
        raise InvalidInput({"booking": ["This booking is another client's."]})
    if not template.is_active:
        raise InvalidInput({"template": ["This template is archived."]})
    if client.erased_at is not None:
        raise InvalidInput({"client": ["This client's data was erased."]})
    contract = Contract.objects.create(
        trainer_id=trainer_id,
        template=template,
        client=client,
        booking=booking,
        title=template.name,
        signers=template.signers,
    )
    evidence.record(
        contract, Kind.CREATED, actor, {"template": template.pk, "title": template.name}
    )
    return contract


def sign_url(contract: Contract) -> str:
    return settings.SITE_URL + reverse("contracts:sign", args=[contract.token])


def _freeze(contract: Contract) -> None:
    """Snapshot the template's document with the merge fields filled in, and hash it."""
    template = contract.template
    if template is None:
        raise InvalidInput({"template": ["The template of this contract was deleted."]})
    values = documents.merge_values(
        documents.MergeSource(
            trainer=contract.trainer,
            client=contract.client,
            booking=contract.booking,
            today=timezone.localdate(timezone=_zone(contract)),
        )
    )
    body = documents.check_body(template.body) if template.body else ""
    missing = documents.unresolved(body, values)
    if missing:
        raise InvalidInput(
            {"template": [documents.why_unresolved(missing, contract.booking is not None)]}
        )
    used = {k: values[k] for k in documents.merge_keys(body)}
    contract.merge_values = used
    contract.fields = list(template.fields)
    contract.signers = template.signers
    contract.title = template.name
    if template.pdf:
        contract.document_pdf = bytes(template.pdf)
        contract.document_html = ""
        contract.document_sha256 = documents.sha256(contract.document_pdf)
        contract.stamp = {
            "page": template.stamp_page,
            "x_mm": template.stamp_x_mm,
            "y_mm": template.stamp_y_mm,
        }
    else:
        contract.document_html = documents.render(body, values)
        contract.document_sha256 = documents.sha256(contract.document_html)


def _zone(contract: Contract) -> Any:
    from trainerhub.core.timezones import zone

    return zone(contract.client.timezone or contract.trainer.timezone or "UTC")


def _queue_email(contract: Contract) -> bool:
    from trainerhub.notifications import outbox, prefs
    from trainerhub.notifications.models import Channel
    from trainerhub.notifications.models import Kind as MessageKind

    kind = MessageKind.CONTRACT_REQUEST
    if not prefs.is_enabled(contract.trainer, kind, Channel.EMAIL):
        return False
    expires = contract.expires_at.astimezone(_zone(contract)) if contract.expires_at else None
    outbox.to_client_email(
        trainer=contract.trainer,
        client=contract.client,
        kind=kind,
        dedupe=f"contract-{contract.pk}-{contract.send_count}",
        context={
            "contract_id": contract.pk,
            "title": contract.title,
            "sign_url": sign_url(contract),
            "expires": f"{expires:%A} {expires.day} {expires:%B %Y}" if expires else "",
        },
    )
    return True


@transaction.atomic
def contract_send(*, contract: Contract, actor: Actor) -> Contract:
    """Send (or resend) the signing link. The first send freezes the document."""
    contract = _lock(contract)
    if contract.status in (Status.SIGNED, Status.COMPLETED):
        raise NotAllowed("This contract is signed: there is nothing left to send.", code="signed")
    if contract.status in (Status.DECLINED, Status.VOIDED):
        raise NotAllowed(
            f"This contract was {contract.status}: create a new one to ask again.",
            code=contract.status,
        )
    client = contract.client
    if not client.email:
        raise InvalidInput(
            {"client": [f"{client.full_name} has no email address: add one to send the link."]}
        )
    first = contract.status == Status.DRAFT
    if first:
        _freeze(contract)
        contract.token = secrets.token_urlsafe(32)
    days = contract.template.expires_days if contract.template else 14
    now = timezone.now()
    contract.expires_at = now + timedelta(days=days)
    contract.sent_at = now
    contract.sent_to = client.email
    contract.send_count += 1
    contract.last_error = ""
    if first:
        contract.status = Status.SENT
    contract.save()
    emailed = _queue_email(contract)
    evidence.record(
        contract,
        Kind.SENT,
        actor,
        {
            "to": client.email,
            "document_sha256": contract.document_sha256,
            "expires_at": contract.expires_at.isoformat(),
            "resend": not first,
            "emailed": emailed,
        },
    )
    return contract


@transaction.atomic
def contract_void(*, contract: Contract, actor: Actor, reason: str = "") -> Contract:
    contract = _lock(contract)
    if contract.status in (Status.COMPLETED, Status.DECLINED, Status.VOIDED):
        raise NotAllowed(
            f"A {contract.get_status_display().lower()} contract cannot be voided.",
            code="not_voidable",
        )
    return _close(contract, Status.VOIDED, (reason or "").strip(), actor)


def _close(contract: Contract, status: str, reason: str, actor: Actor) -> Contract:
    """Void or decline: the state, its time and reason, and the event."""
    if len(reason) > 2000:
        raise InvalidInput({"reason": ["2000 characters at most."]})
    contract.status = status
    if status == Status.VOIDED:
        contract.voided_at, contract.void_reason = timezone.now(), reason
    else:
        contract.declined_at, contract.decline_reason = timezone.now(), reason
    contract.save()
    evidence.record(contract, status, actor, {"reason": reason})
    return contract


@transaction.atomic
def contract_delete_draft(*, contract: Contract) -> None:
    contract = _lock(contract)
    if contract.status != Status.DRAFT:
        raise NotAllowed("Only a contract that was never sent can be deleted.", code="sent")
    contract.delete()


# --- The signer -------------------------------------------------------------------------------


def client_actor(contract: Contract, ip: str | None, user_agent: str) -> Actor:
    return Actor(
        ip_address=ip,
        user_agent=user_agent,
        identified_by=f"Opened the private signing link emailed to {contract.sent_to}",
    )


def check_link(contract: Contract) -> None:
    """LinkGone when the link no longer works, with what happened."""
    if contract.status == Status.VOIDED:
        raise LinkGone(f"{contract.trainer.display_name} withdrew this document.", code="voided")
    if contract.status in (Status.SIGNED, Status.COMPLETED):
        raise LinkGone("This document is already signed: the link works once.", code="signed")
    if contract.status == Status.DECLINED:
        raise LinkGone("You declined this document.", code="declined")
    if contract.status == Status.DRAFT:
        raise LinkGone("This document was not sent.", code="not_sent")
    if contract.is_expired:
        raise LinkGone(
            f"This link expired. Ask {contract.trainer.display_name} to send it again.",
            code="expired",
        )


@transaction.atomic
def contract_viewed(*, contract: Contract, actor: Actor) -> Contract:
    contract = _lock(contract)
    check_link(contract)
    if contract.viewed_at is None:
        contract.viewed_at = timezone.now()
        contract.status = Status.VIEWED
        contract.save(update_fields=["viewed_at", "status", "updated_at"])
        evidence.record(contract, Kind.VIEWED, actor)
    return contract


def _save_signature(contract: Contract, role: str, signature: SignatureInput) -> Signature:
    return Signature.objects.create(
        trainer_id=contract.trainer_id,
        contract=contract,
        role=role,
        kind=signature.kind,
        typed_name=signature.typed_name,
        points=signature.points or [],
        png=signature.png,
        signed_at=timezone.now(),
    )


def _signature_data(signature: SignatureInput, saved: Signature) -> dict[str, Any]:
    data: dict[str, Any] = {"signature": signature.kind}
    if signature.kind == "typed":
        data["typed_name"] = signature.typed_name
    else:
        data["image_sha256"] = documents.sha256(bytes(saved.png or b""))
        data["strokes"] = len(signature.points or [])
    return data


@transaction.atomic
def contract_sign(
    *, contract: Contract, fields: Any, consent: Any, signature: Any, actor: Actor
) -> Contract:
    """The client signs through their link: fields, consent, signature, all or nothing."""
    contract = _lock(contract)
    check_link(contract)
    errors: dict[str, list[str]] = {}
    values: dict[str, Any] = {}
    parsed: SignatureInput | None = None
    try:
        values = documents.check_values(contract.fields, fields)
    except InvalidInput as exc:
        errors.update(exc.errors)
    if consent is not True and consent not in ("on", "true", "1", "yes"):
        errors["consent"] = ["Tick the box to agree to sign electronically."]
    try:
        parsed = parse_signature(signature)
    except InvalidInput as exc:
        errors.update(exc.errors)
    if errors or parsed is None:
        raise InvalidInput(errors)
    if contract.viewed_at is None:
        contract.viewed_at = timezone.now()
        evidence.record(contract, Kind.VIEWED, actor)
    evidence.record(
        contract,
        Kind.CONSENT,
        actor,
        {"text": CONSENT_TEXT},
    )
    contract.field_values = values
    saved = _save_signature(contract, Signature.Role.CLIENT, parsed)
    contract.signed_at = saved.signed_at
    evidence.record(
        contract,
        Kind.SIGNED,
        actor,
        {
            "role": "client",
            "name": contract.client.full_name,
            "email": contract.sent_to,
            "fields": values,
            "document_sha256": contract.document_sha256,
            **_signature_data(parsed, saved),
        },
    )
    if contract.signers == Signers.CLIENT_TRAINER:
        contract.status = Status.SIGNED
        contract.save()
    else:
        contract = _complete(contract)
    emit("contract.signed", contract=contract)
    return contract


@transaction.atomic
def contract_countersign(*, contract: Contract, signature: Any, actor: Actor) -> Contract:
    """The trainer signs after the client (templates signed by the client, then the trainer)."""
    contract = _lock(contract)
    if contract.status != Status.SIGNED:
        raise NotAllowed(
            "Only a contract the client signed waits for your signature.", code="state"
        )
    parsed = parse_signature(signature)
    saved = _save_signature(contract, Signature.Role.TRAINER, parsed)
    evidence.record(
        contract,
        Kind.SIGNED,
        actor,
        {
            "role": "trainer",
            "name": contract.trainer.name,
            "email": contract.trainer.email,
            **_signature_data(parsed, saved),
        },
    )
    return _complete(contract)


def _complete(contract: Contract) -> Contract:
    """The final PDF, its hash and seal, and the completed event (inside the caller's lock)."""
    now = timezone.now()
    contract.status = Status.COMPLETED
    contract.completed_at = now
    events = list(contract.events.order_by("seq"))
    signatures = list(contract.signatures.order_by("signed_at", "id"))
    pdf = rendering.final_pdf(contract, events, signatures)
    sealed = sealing.seal(pdf, reason=f"{contract.title}: signed electronically")
    contract.final_pdf = sealed
    contract.final_sha256 = documents.sha256(sealed)
    contract.save()
    evidence.record(
        contract,
        Kind.COMPLETED,
        Actor.system("TrainerHub, when the last signature was given"),
        {"final_sha256": contract.final_sha256, "document_sha256": contract.document_sha256},
    )
    return contract


@transaction.atomic
def contract_decline(*, contract: Contract, reason: Any, actor: Actor) -> Contract:
    contract = _lock(contract)
    check_link(contract)
    reason = reason.strip() if isinstance(reason, str) else ""
    if not reason:
        raise InvalidInput({"reason": ["Tell your trainer why you decline."]})
    return _close(contract, Status.DECLINED, reason, actor)


CONSENT_TEXT = (
    "I agree to sign this document electronically, and that my electronic signature is "
    "the legal equivalent of my handwritten signature."
)


# --- Bookings of a service that requires a template ------------------------------------------


def on_booking_created(*, event: str, booking: Any, **_: Any) -> None:
    """Send every template the booked service requires, once per booking (and, for "once
    per client", once per client). Never refuses the booking: a template that cannot be sent
    (a field without a value) stays as a draft with the reason, for the trainer to see."""
    templates = ContractTemplate.objects.filter(
        trainer_id=booking.trainer_id, is_active=True, services=booking.service_id
    ).order_by("id")
    for template in templates:
        existing = Contract.objects.filter(trainer_id=booking.trainer_id, template=template)
        if template.required_when == ContractTemplate.Requirement.ONCE_PER_CLIENT:
            existing = existing.filter(client_id=booking.client_id).exclude(
                status__in=[Status.VOIDED, Status.DECLINED]
            )
        else:
            existing = existing.filter(booking=booking)
        if existing.exists():
            continue
        actor = Actor.system(f"Sent automatically: {booking.service.name} requires it")
        contract = contract_create(
            trainer=booking.trainer_id,
            template=template,
            client=booking.client,
            booking=booking,
            actor=actor,
        )
        try:
            with transaction.atomic():
                contract_send(contract=contract, actor=actor)
        except DomainError as exc:
            Contract.objects.filter(pk=contract.pk).update(last_error=exc.detail[:300])
