"""Reads of webhooks: a trainer's endpoints and deliveries; anyone else's id is a 404."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from trainerhub.core.access import get_owned_or_404, pk_or_404
from trainerhub.core.tenancy import TrainerRef, trainer_id_of
from trainerhub.webhooks.models import Delivery, Endpoint


def endpoints_for_trainer(*, trainer: TrainerRef) -> QuerySet[Endpoint]:
    return Endpoint.objects.filter(trainer_id=trainer_id_of(trainer))


def endpoint_get_for_trainer(*, trainer: TrainerRef, pk: Any) -> Endpoint:
    return get_owned_or_404(Endpoint, trainer=trainer, pk=pk)


def deliveries_for_trainer(*, trainer: TrainerRef, endpoint: Any = None) -> QuerySet[Delivery]:
    rows = Delivery.objects.filter(trainer_id=trainer_id_of(trainer)).select_related("endpoint")
    if endpoint not in (None, ""):
        rows = rows.filter(endpoint_id=pk_or_404(endpoint))
    return rows.order_by("-created_at", "-id")


def delivery_get_for_trainer(*, trainer: TrainerRef, pk: Any) -> Delivery:
    return get_owned_or_404(Delivery, trainer=trainer, pk=pk)
