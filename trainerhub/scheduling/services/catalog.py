"""The trainer's services (session types): create, edit, deactivate (history is kept)."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from trainerhub.core.tenancy import TrainerRef, trainer_id_of
from trainerhub.scheduling.models import Service
from trainerhub.scheduling.services._common import clean_or_raise, set_fields

SERVICE_FIELDS = {*Service.EDITABLE_FIELDS, "is_active"}


@transaction.atomic
def service_create(*, trainer: TrainerRef, **fields: Any) -> Service:
    service = Service(trainer_id=trainer_id_of(trainer))
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
