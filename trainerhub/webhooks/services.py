"""Webhook endpoints (create, change, delete, send a test event) and the deliveries the
domain events write. Pages, the API and the worker all come through here."""

from __future__ import annotations

import uuid
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from trainerhub.core.errors import InvalidInput
from trainerhub.core.tenancy import TrainerRef, trainer_id_of
from trainerhub.core.validation import has_control_characters
from trainerhub.webhooks import addresses, payloads, signing
from trainerhub.webhooks.models import EVENTS, TEST_EVENT, Delivery, Endpoint

MAX_ENDPOINTS = 20


def _clean_url(url: Any) -> str:
    value = str(url or "").strip()
    if not value:
        raise InvalidInput({"url": ["This field is required."]})
    if len(value) > 500 or has_control_characters(value, multiline=False):
        raise InvalidInput({"url": ["Use a URL of at most 500 characters."]})
    try:
        addresses.check(value)
    except addresses.RefusedURL as exc:
        raise InvalidInput({"url": [str(exc)]}) from exc
    return value


def _clean_events(events: Any) -> list[str]:
    if not isinstance(events, list | tuple) or not all(isinstance(e, str) for e in events):
        raise InvalidInput({"events": ["Give a list of event names."]})
    unknown = sorted(set(events) - set(EVENTS))
    if unknown:
        raise InvalidInput({"events": [f"Unknown events: {', '.join(unknown)[:200]}."]})
    if not events:
        raise InvalidInput({"events": ["Pick at least one event."]})
    return [e for e in EVENTS if e in events]


def _clean_description(value: Any) -> str:
    text = str(value or "").strip()
    if len(text) > 200 or has_control_characters(text, multiline=False):
        raise InvalidInput({"description": ["Use at most 200 characters on one line."]})
    return text


@transaction.atomic
def endpoint_create(
    *, trainer: TrainerRef, url: Any, events: Any, description: Any = ""
) -> Endpoint:
    """A new endpoint with a new secret (shown to the trainer once, by the caller)."""
    tid = trainer_id_of(trainer)
    errors: dict[str, list[str]] = {}
    cleaned: dict[str, Any] = {}
    for field, clean, raw in (
        ("url", _clean_url, url),
        ("events", _clean_events, events),
        ("description", _clean_description, description),
    ):
        try:
            cleaned[field] = clean(raw)
        except InvalidInput as exc:
            errors.update(exc.errors)
    if errors:
        raise InvalidInput(errors)
    if Endpoint.objects.filter(trainer_id=tid).count() >= MAX_ENDPOINTS:
        raise InvalidInput({"url": [f"At most {MAX_ENDPOINTS} endpoints."]})
    return Endpoint.objects.create(trainer_id=tid, secret=signing.new_secret(), **cleaned)


@transaction.atomic
def endpoint_update(*, endpoint: Endpoint, **fields: Any) -> Endpoint:
    """Change url, events, description or enabled; enabling again clears the failures."""
    unknown = set(fields) - {"url", "events", "description", "enabled"}
    if unknown:
        raise InvalidInput({k: ["This field cannot be changed."] for k in sorted(unknown)})
    endpoint = Endpoint.objects.select_for_update().get(pk=endpoint.pk)
    errors: dict[str, list[str]] = {}
    cleaners = {"url": _clean_url, "events": _clean_events, "description": _clean_description}
    for field, clean in cleaners.items():
        if field in fields:
            try:
                setattr(endpoint, field, clean(fields[field]))
            except InvalidInput as exc:
                errors.update(exc.errors)
    if "enabled" in fields:
        if not isinstance(fields["enabled"], bool):
            errors["enabled"] = ["Use true or false."]
        elif fields["enabled"] and not endpoint.enabled:
            endpoint.enabled, endpoint.failure_count = True, 0
            endpoint.disabled_at, endpoint.disabled_reason = None, ""
        elif not fields["enabled"] and endpoint.enabled:
            endpoint.enabled, endpoint.disabled_at = False, timezone.now()
            endpoint.disabled_reason = "Turned off by the trainer."
    if errors:
        raise InvalidInput(errors)
    endpoint.save()
    return endpoint


@transaction.atomic
def endpoint_rotate_secret(*, endpoint: Endpoint) -> Endpoint:
    endpoint.secret = signing.new_secret()
    endpoint.save(update_fields=["secret", "updated_at"])
    return endpoint


@transaction.atomic
def endpoint_delete(*, endpoint: Endpoint) -> None:
    endpoint.delete()


def _write(
    endpoints: list[Endpoint], event: str, data: dict[str, Any], client_id: int | None
) -> list[Delivery]:
    now = timezone.now()
    event_id = str(uuid.uuid4())
    body = payloads.envelope(event=event, event_id=event_id, created=now, data=data)
    return Delivery.objects.bulk_create(
        Delivery(
            trainer_id=e.trainer_id,
            endpoint=e,
            event=event,
            event_id=event_id,
            payload=body,
            client_id=client_id,
            next_attempt_at=now,
            created_at=now,
        )
        for e in endpoints
    )


def on_event(*, event: str, **kwargs: Any) -> None:
    """A domain event (core/events.py): one delivery per live endpoint that wants it, in the
    transaction of the change, its body frozen now."""
    subject = payloads.subject_of(event, kwargs)
    endpoints = [
        e
        for e in Endpoint.objects.filter(trainer_id=subject.trainer_id, enabled=True)
        if event in e.events
    ]
    if not endpoints:
        return
    data, client_id = payloads.data_for(event, kwargs)
    _write(endpoints, event, data, client_id)


@transaction.atomic
def test_event_write(*, endpoint: Endpoint) -> Delivery:
    """The "send test event" button: a `webhook.test` delivery to this endpoint only, due
    now (sent even while the endpoint is disabled: it is how the trainer checks a fix)."""
    data = {"message": "A test event from TrainerHub.", "endpoint_id": endpoint.pk}
    deliveries: list[Delivery] = _write([endpoint], TEST_EVENT, data, None)
    return deliveries[0]


def deliveries_for(endpoint: Endpoint) -> QuerySet[Delivery]:
    return Delivery.objects.filter(trainer_id=endpoint.trainer_id, endpoint=endpoint)
