"""Where webhooks keep a client's data, for the privacy export and erase (clients/privacy.py).

A delivery's body is a copy of the booking, client, payment, invoice or contract it tells,
names and addresses included. Erase deletes the client's deliveries not yet sent (they must
not reach anyone now) and replaces the body of the sent ones by a stub naming only the event,
so the delivery log keeps its response codes. The export leaves them out: they are copies of
records the export already holds, sent to the trainer's own systems."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from trainerhub.clients.privacy import Holder, Subject, holder_add, no_client_data_add
from trainerhub.webhooks.models import Delivery


def _deliveries(s: Subject) -> QuerySet[Any]:
    return Delivery.objects.filter(trainer_id=s.client.trainer_id, client_id=s.client.pk)


def _erase_deliveries(rows: QuerySet[Any], s: Subject) -> int:
    deleted = rows.filter(status=Delivery.Status.PENDING).delete()[0]
    scrubbed = 0
    for delivery in rows.exclude(status=Delivery.Status.PENDING):
        body = delivery.payload or {}
        delivery.payload = {
            "version": body.get("version"),
            "id": body.get("id"),
            "type": body.get("type"),
            "created": body.get("created"),
            "data": {"erased": True},
        }
        delivery.save(update_fields=["payload"])
        scrubbed += 1
    return deleted + scrubbed


def register() -> None:
    holder_add(
        Holder(
            "webhooks.Delivery",
            personal=("payload",),
            other_text=("event", "status", "responses"),
            erase="anonymise",
            rows=_deliveries,
            eraser=_erase_deliveries,
            not_exported="copies of records the export holds, sent to the trainer's systems",
        )
    )
    no_client_data_add(
        "webhooks.Endpoint", "the trainer's receiver URLs, event names and signing secrets"
    )
