"""Writes of the CRM: clients, tags, intake fields. Keyword-only, typed, atomic."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from trainerhub.accounts.models import User
from trainerhub.clients import privacy
from trainerhub.clients.models import Client, ClientTag, ErasureRecord, IntakeField, Tag
from trainerhub.clients.search import build_search_text
from trainerhub.clients.validation import (
    clean_custom_value,
    clean_date_of_birth,
    clean_email,
    clean_phone,
    phone_region_for,
    today_for,
)
from trainerhub.core import events
from trainerhub.core.errors import Conflict, InvalidInput
from trainerhub.core.locks import advisory_lock
from trainerhub.core.tenancy import TrainerRef, trainer_id_of
from trainerhub.plans import services as plans
from trainerhub.plans.models import ACTIVE_CLIENTS
from trainerhub.scheduling import services as scheduling_services
from trainerhub.scheduling.models import Booking

CLIENT_FIELDS = (
    "first_name",
    "last_name",
    "email",
    "phone",
    "preferred_channel",
    "date_of_birth",
    "address",
    "emergency_contact_name",
    "emergency_contact_phone",
    "emergency_contact_relation",
    "goals",
    "level",
    "health_notes",
    "preferences",
    "referral_source",
    "status",
    "custom_fields",
)
ERASED_NAME = privacy.ERASED_NAME


def _strip(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else value


def custom_fields_validate(
    *,
    trainer: TrainerRef,
    values: Any,
    existing: dict[str, Any] | None = None,
    enforce_required: bool = False,
    booking_form_only: bool = False,
) -> dict[str, Any]:
    """Intake answers checked by each field's kind; unknown keys are refused.

    Returns the merged answers (existing ones kept unless replaced; None or "" clears one).
    """
    if values is None:
        values = {}
    if not isinstance(values, dict):
        raise InvalidInput({"custom_fields": ["Send an object keyed by intake field key."]})
    fields = IntakeField.objects.filter(trainer_id=trainer_id_of(trainer), is_active=True)
    if booking_form_only:
        fields = fields.filter(on_booking_form=True)
    by_key = {f.key: f for f in fields}
    merged = dict(existing or {})
    errors: list[str] = []
    for key, value in values.items():
        field = by_key.get(key)
        if field is None:
            errors.append(f"{key}: there is no such intake field.")
            continue
        if value is None or (isinstance(value, str) and not value.strip()):
            merged.pop(key, None)
            continue
        try:
            merged[key] = clean_custom_value(field.kind, value, list(field.choices or []))
        except ValidationError as exc:
            errors.append(f"{field.label}: {exc.messages[0]}")
    if enforce_required:
        errors += [
            f"{f.label}: this field is required."
            for f in by_key.values()
            if f.required and f.key not in merged
        ]
    if errors:
        raise InvalidInput({"custom_fields": errors})
    return merged


def _clean_client_values(
    *, trainer: User, fields: dict[str, Any], client: Client | None
) -> dict[str, Any]:
    unknown = set(fields) - set(CLIENT_FIELDS)
    if unknown:
        raise TypeError(f"Unknown client fields: {sorted(unknown)}")
    cleaned = {k: _strip(v) for k, v in fields.items()}
    for name, value in cleaned.items():
        if value is None and name not in ("date_of_birth", "custom_fields"):
            cleaned[name] = ""
    errors: dict[str, list[str]] = {}
    region = phone_region_for(trainer)
    checks: dict[str, Callable[[Any], Any]] = {
        "email": clean_email,
        "phone": lambda v: clean_phone(v, region=region),
        "emergency_contact_phone": lambda v: clean_phone(v, region=region),
        "date_of_birth": lambda v: clean_date_of_birth(v, today=today_for(trainer)),
    }
    for name, check in checks.items():
        if name in cleaned:
            try:
                cleaned[name] = check(cleaned[name])
            except ValidationError as exc:
                errors[name] = list(exc.messages)
    if "custom_fields" in cleaned:
        try:
            cleaned["custom_fields"] = custom_fields_validate(
                trainer=trainer,
                values=cleaned["custom_fields"],
                existing=client.custom_fields if client else None,
            )
        except InvalidInput as exc:
            errors.update(exc.errors)
    if errors:
        raise InvalidInput(errors)
    return cleaned


def _save_client(client: Client) -> None:
    client.search_text = build_search_text(client)
    try:
        client.full_clean(exclude=["trainer", "account", "tags"])
    except ValidationError as exc:
        raise InvalidInput(
            {("non_field_errors" if k == "__all__" else k): v for k, v in exc.message_dict.items()}
        ) from exc
    client.save()


def _resolve_tags(*, trainer: TrainerRef, names: Iterable[Any]) -> list[Tag]:
    if isinstance(names, str | bytes) or not isinstance(names, Iterable):
        raise InvalidInput({"tags": ["Send a list of tag names."]})
    wanted = []
    for name in names:
        if not isinstance(name, str | int):
            raise InvalidInput({"tags": ["Send a list of tag names."]})
        wanted.append(str(name).strip())
    tags = {t.name.casefold(): t for t in Tag.objects.filter(trainer_id=trainer_id_of(trainer))}
    missing = [n for n in wanted if n.casefold() not in tags]
    if missing:
        raise InvalidInput({"tags": [f"Unknown tag: {', '.join(missing)}. Create it first."]})
    return list({tags[n.casefold()].pk: tags[n.casefold()] for n in wanted}.values())


def _set_tags(*, client: Client, tags: list[Tag]) -> None:
    ClientTag.objects.filter(client=client).exclude(tag__in=tags).delete()
    have = set(ClientTag.objects.filter(client=client).values_list("tag_id", flat=True))
    ClientTag.objects.bulk_create(
        [
            ClientTag(trainer_id=client.trainer_id, client=client, tag=t)
            for t in tags
            if t.pk not in have
        ]
    )


def _apply_status(client: Client, status: str | None) -> None:
    if status is None:
        return
    if status == Client.Status.ARCHIVED and client.archived_at is None:
        client.archived_at = timezone.now()
    elif status != Client.Status.ARCHIVED:
        client.archived_at = None


DUPLICATE_EMAIL = "duplicate_email"


def _refuse_duplicate_email(*, trainer_id: int, email: str, client: Client | None) -> None:
    """Two records for one person split their history: a second client with an address that
    an existing (not erased) client has is refused unless the trainer says it is intended
    (a parent booking for two children, a shared family address). The caller holds the
    email's lock, so two writers cannot both see it free."""
    if not email:
        return
    _lock_email(trainer_id=trainer_id, email=email)
    others = Client.objects.filter(
        trainer_id=trainer_id, email__iexact=email, erased_at__isnull=True
    )
    if client is not None and client.pk:
        others = others.exclude(pk=client.pk)
    existing = others.order_by("id").first()
    if existing is not None:
        raise Conflict(
            f"{existing.full_name} already has the email {existing.email}. Open their record, "
            "or save anyway if this is a different person sharing the address.",
            code=DUPLICATE_EMAIL,
            field="email",
            extra={"client": existing.pk},
        )


@transaction.atomic
def client_create(
    *,
    trainer: User,
    tags: Iterable[str] | None = None,
    actor: str = "trainer",
    allow_duplicate: bool = False,
    **fields: Any,
) -> Client:
    cleaned = _clean_client_values(trainer=trainer, fields=fields, client=None)
    if not cleaned.get("first_name"):
        raise InvalidInput({"first_name": ["This field is required."]})
    if not allow_duplicate:
        _refuse_duplicate_email(trainer_id=trainer.pk, email=cleaned.get("email", ""), client=None)
    if cleaned.get("status") != Client.Status.ARCHIVED:
        plans.limit_check(trainer, ACTIVE_CLIENTS)
    tag_objs = _resolve_tags(trainer=trainer, names=tags) if tags is not None else []
    client = Client(trainer=trainer, **cleaned)
    _apply_status(client, cleaned.get("status"))
    _save_client(client)
    if tag_objs:
        _set_tags(client=client, tags=tag_objs)
    events.emit("client.created", client=client, actor=actor)
    return client


@transaction.atomic
def client_update(
    *,
    client: Client,
    tags: Iterable[str] | None = None,
    allow_duplicate: bool = False,
    **fields: Any,
) -> Client:
    if client.erased_at is not None:
        raise InvalidInput("This client's personal data was erased; the record cannot be edited.")
    cleaned = _clean_client_values(trainer=client.trainer, fields=fields, client=client)
    if "first_name" in cleaned and not cleaned["first_name"]:
        raise InvalidInput({"first_name": ["This field is required."]})
    changed_email = cleaned.get("email", client.email)
    if (
        not allow_duplicate
        and changed_email
        and changed_email.casefold() != client.email.casefold()
    ):
        _refuse_duplicate_email(trainer_id=client.trainer_id, email=changed_email, client=client)
    if client.status == Client.Status.ARCHIVED and cleaned.get("status") not in (
        None,
        Client.Status.ARCHIVED,
    ):
        plans.limit_check(client.trainer, ACTIVE_CLIENTS)
    _apply_status(client, cleaned.get("status"))
    for name, value in cleaned.items():
        setattr(client, name, value)
    _save_client(client)
    if tags is not None:
        _set_tags(client=client, tags=_resolve_tags(trainer=client.trainer, names=tags))
    events.emit("client.updated", client=client, changed=sorted(cleaned))
    return client


def future_bookings(*, client: Client) -> QuerySet[Booking]:
    """The client's bookings still to come that hold a seat (pending or confirmed)."""
    return Booking.objects.filter(
        trainer_id=client.trainer_id,
        client=client,
        status__in=Booking.ACTIVE_STATUSES,
        start__gt=timezone.now(),
    ).order_by("start", "id")


def _cancel_future_bookings(*, client: Client, reason: str) -> int:
    """Cancel through the scheduling service, so seats free up and the client is told."""
    count = 0
    for booking in future_bookings(client=client):
        scheduling_services.booking_cancel(booking=booking, actor="trainer", reason=reason)
        count += 1
    return count


@transaction.atomic
def client_archive(*, client: Client, cancel_future: bool = False, message: str = "") -> Client:
    """Soft delete: hidden from lists and pickers; bookings, notes and files stay.

    Their future bookings stay too unless `cancel_future`: then each is cancelled with
    `message` as the reason the client is sent."""
    if cancel_future:
        _cancel_future_bookings(client=client, reason=message)
    if client.status != Client.Status.ARCHIVED:
        client.status = Client.Status.ARCHIVED
        client.archived_at = timezone.now()
        client.save(update_fields=["status", "archived_at", "updated_at"])
    return client


@transaction.atomic
def client_restore(*, client: Client) -> Client:
    if client.erased_at is not None:
        raise InvalidInput("An erased client cannot be restored.")
    if client.status == Client.Status.ARCHIVED:
        plans.limit_check(client.trainer, ACTIVE_CLIENTS)
    client.status = Client.Status.ACTIVE
    client.archived_at = None
    client.save(update_fields=["status", "archived_at", "updated_at"])
    return client


def _check_erase_confirmation(client: Client, confirm: str) -> None:
    if client.erased_at is not None:
        raise InvalidInput("This client's personal data was already erased.")
    typed = " ".join(str(confirm or "").split()).casefold()
    if typed != client.full_name.casefold():
        raise InvalidInput({"confirm": ["Type the client's full name exactly to confirm."]})


@transaction.atomic
def client_erase(*, client: Client, confirm: str) -> ErasureRecord:
    """Erase for a privacy request: every copy of the person's data listed in the privacy
    registry goes or is anonymised, their future bookings are cancelled, their portal
    account is disabled, and an audit row without personal data records it. The figures of
    past sessions stay, anonymous. `confirm` is the client's full name, as typed."""
    # Lock the client row only: PostgreSQL cannot lock the nullable side of the outer join.
    locked = (
        Client.objects.select_for_update(of=("self",)).select_related("account").get(pk=client.pk)
    )
    _check_erase_confirmation(locked, confirm)
    cancelled = _cancel_future_bookings(client=locked, reason="")
    counts = privacy.erase_personal_data(locked)
    locked.refresh_from_db()
    record = ErasureRecord.objects.create(
        trainer_id=locked.trainer_id,
        client_pk=locked.pk,
        erased_at=locked.erased_at or timezone.now(),
        counts={"cancelled_future_bookings": cancelled, **counts},
    )
    client.refresh_from_db()
    return record


def _lock_email(*, trainer_id: int, email: str) -> None:
    """Two bookings by the same new person at once must not create two clients.

    One advisory lock per (trainer, email) until the transaction ends (core/locks.py).
    """
    advisory_lock("clients.email", trainer_id, email.casefold())


def client_find_or_create_for_booking(
    *,
    trainer: User,
    first_name: str,
    last_name: str,
    email: str,
    phone: str,
    custom_fields: dict[str, Any] | None = None,
) -> Client:
    """The client booking on the public page: matched by email, never duplicated."""
    return client_match_or_create_for_booking(
        trainer=trainer,
        first_name=first_name,
        last_name=last_name,
        email=email,
        phone=phone,
        custom_fields=custom_fields,
    )[0]


def client_match_or_create_for_booking(
    *,
    trainer: User,
    first_name: str,
    last_name: str,
    email: str,
    phone: str,
    custom_fields: dict[str, Any] | None = None,
) -> tuple[Client, bool]:
    """The client record a public booking goes to, and whether the booking created it.

    A record that exists is returned untouched: typing an address proves nothing about who
    typed it, so a visitor must not be able to rewrite someone's answers or bring an archived
    client back. What they typed is kept on the booking for the trainer to apply (portal)."""
    with transaction.atomic():
        try:
            clean = clean_email(email)
        except ValidationError as exc:
            raise InvalidInput({"email": list(exc.messages)}) from exc
        if not clean:
            raise InvalidInput({"email": ["This field is required."]})
        _lock_email(trainer_id=trainer.pk, email=clean)
        existing = (
            Client.objects.select_for_update()
            .filter(trainer=trainer, email__iexact=clean, erased_at__isnull=True)
            .order_by("id")
            .first()
        )
        if existing is not None:
            return existing, False
        created = client_create(
            trainer=trainer,
            actor="client",
            first_name=first_name,
            last_name=last_name,
            email=clean,
            phone=phone,
            custom_fields=custom_fields or {},
        )
        return created, True


# --- Tags ---------------------------------------------------------------------------------


def _full_clean(obj: Any, exclude: list[str] | None = None) -> None:
    try:
        obj.full_clean(exclude=["trainer", *(exclude or [])])
    except ValidationError as exc:
        raise InvalidInput(
            {("non_field_errors" if k == "__all__" else k): v for k, v in exc.message_dict.items()}
        ) from exc


@transaction.atomic
def tag_create(*, trainer: TrainerRef, name: str, color: str = "#64748b") -> Tag:
    name = (name or "").strip()
    trainer_id = trainer_id_of(trainer)
    if Tag.objects.filter(trainer_id=trainer_id, name__iexact=name).exists():
        raise InvalidInput({"name": ["You already have a tag with this name."]})
    tag = Tag(trainer_id=trainer_id, name=name, color=color or "#64748b")
    _full_clean(tag)
    tag.save()
    return tag


@transaction.atomic
def tag_update(*, tag: Tag, name: str | None = None, color: str | None = None) -> Tag:
    if name is not None:
        name = name.strip()
        clash = Tag.objects.filter(trainer_id=tag.trainer_id, name__iexact=name).exclude(pk=tag.pk)
        if clash.exists():
            raise InvalidInput({"name": ["You already have a tag with this name."]})
        tag.name = name
    if color is not None:
        tag.color = color
    _full_clean(tag)
    tag.save()
    return tag


@transaction.atomic
def tag_delete(*, tag: Tag) -> None:
    tag.delete()


# --- Intake fields ------------------------------------------------------------------------

INTAKE_FIELDS = (
    "label",
    "key",
    "kind",
    "choices",
    "required",
    "on_booking_form",
    "order",
    "is_active",
)


def _clean_intake(field: IntakeField) -> None:
    from django.utils.text import slugify

    field.label = (field.label or "").strip()
    if not field.key:
        field.key = slugify(field.label).replace("-", "_")[:50] or "field"
    if field.kind == IntakeField.Kind.CHOICE:
        choices = field.choices
        if not isinstance(choices, list) or not all(isinstance(c, str) for c in choices):
            raise InvalidInput({"choices": ["Send the choices as a list of texts."]})
        field.choices = [c.strip() for c in choices if c.strip()][:50]
        if not field.choices:
            raise InvalidInput({"choices": ["Give at least one choice."]})
        if any(len(c) > 100 for c in field.choices):
            raise InvalidInput({"choices": ["Keep each choice under 100 characters."]})
    else:
        field.choices = []
    clash = IntakeField.objects.filter(trainer_id=field.trainer_id, key=field.key).exclude(
        pk=field.pk
    )
    if clash.exists():
        raise InvalidInput({"key": ["You already have an intake field with this key."]})
    _full_clean(field)


@transaction.atomic
def intake_field_create(*, trainer: TrainerRef, **fields: Any) -> IntakeField:
    unknown = set(fields) - set(INTAKE_FIELDS)
    if unknown:
        raise TypeError(f"Unknown intake field attributes: {sorted(unknown)}")
    field = IntakeField(trainer_id=trainer_id_of(trainer), **fields)
    _clean_intake(field)
    field.save()
    return field


@transaction.atomic
def intake_field_update(*, field: IntakeField, **fields: Any) -> IntakeField:
    unknown = set(fields) - set(INTAKE_FIELDS)
    if unknown:
        raise TypeError(f"Unknown intake field attributes: {sorted(unknown)}")
    for name, value in fields.items():
        setattr(field, name, value)
    _clean_intake(field)
    field.save()
    return field


@transaction.atomic
def intake_field_deactivate(*, field: IntakeField) -> IntakeField:
    # Answers already given stay on the clients; the question just stops being asked.
    field.is_active = False
    field.save(update_fields=["is_active"])
    return field
