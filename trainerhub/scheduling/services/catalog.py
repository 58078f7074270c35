"""The trainer's services (session types): create, edit, deactivate (history is kept)."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from trainerhub.scheduling.models import Service
from trainerhub.scheduling.services._common import clean_or_raise, set_fields

SERVICE_FIELDS = {
    "name",
    "description",
    "duration_minutes",
    "price",
    "currency",
    "buffer_before_minutes",
    "buffer_after_minutes",
    "slot_interval_minutes",
    "capacity",
    "min_notice_minutes",
    "max_advance_days",
    "max_per_day",
    "requires_confirmation",
    "location",
    "is_online",
    "color",
    "is_active",
    "bookable_online",
}


@transaction.atomic
def service_create(*, trainer: Any, **fields: Any) -> Service:
    service = Service(trainer=trainer)
    set_fields(service, fields, SERVICE_FIELDS)
    clean_or_raise(service, exclude=["trainer"])
    service.save()
    return service


@transaction.atomic
def service_update(*, service: Service, **fields: Any) -> Service:
    set_fields(service, fields, SERVICE_FIELDS)
    clean_or_raise(service, exclude=["trainer"])
    service.save()
    return service


@transaction.atomic
def service_deactivate(*, service: Service) -> Service:
    """Hidden from new bookings; its sessions and bookings stay as they were."""
    service.is_active = False
    service.save(update_fields=["is_active", "updated_at"])
    return service
