"""Where notifications keep a client's data beyond the CRM's own list (clients/privacy.py):
the client's in-app centre, for the privacy export and erase.

The centre's lines tell the client about their own sessions, documents and invoices: they
are the client's copy (exported) and nobody's record to keep (erase deletes them). The outbox
rows they came with are the CRM's `notifications.Notification` holder already.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from trainerhub.clients.privacy import Holder, Subject, holder_add, iso_or_value, no_client_data_add
from trainerhub.notifications.models import ClientInAppNotification


def _client_lines(s: Subject) -> QuerySet[Any]:
    return ClientInAppNotification.objects.filter(client=s.client)


def _erase_client_lines(rows: QuerySet[Any], s: Subject) -> int:
    return rows.delete()[0]


def _export_client_lines(rows: QuerySet[Any]) -> list[dict[str, Any]]:
    return [
        {
            "id": row.pk,
            "kind": row.kind,
            "title": row.title,
            "body": row.body,
            "url": row.url,
            "created_at": iso_or_value(row.created_at),
            "read_at": iso_or_value(row.read_at),
        }
        for row in rows.order_by("created_at", "id")
    ]


def register() -> None:
    holder_add(
        Holder(
            "notifications.ClientInAppNotification",
            personal=("title", "body"),
            other_text=("kind", "url"),
            erase="delete",
            rows=_client_lines,
            eraser=_erase_client_lines,
            export_key="client_notifications",
            exporter=_export_client_lines,
        )
    )
    no_client_data_add(
        "notifications.TelegramBot", "the trainer's own Telegram bot (the token encrypted)"
    )
