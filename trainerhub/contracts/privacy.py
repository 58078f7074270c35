"""The contracts' holders in the clients' privacy registry (registered at ready()).

Erase deletes every contract of the client with its signatures, events and PDFs, signed or
not: the signed copy names the person on every page, and keeping it is the trainer's
decision to take before erasing (download the signed PDFs first when you must keep them, for
example to defend a legal claim). The export lists every contract with its frozen document,
filled fields, events and hashes (the sealed PDFs stay downloadable until the erase).
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from trainerhub.clients import privacy
from trainerhub.contracts.models import Contract, ContractEvent, Signature


def _contract_rows(s: privacy.Subject) -> QuerySet[Any]:
    return Contract.objects.filter(client=s.client)


def _export_contracts(rows: QuerySet[Any]) -> list[dict[str, Any]]:
    iso = privacy.iso_or_value
    return [
        {
            "id": c.pk,
            "title": c.title,
            "status": c.shown_status,
            "booking_id": c.booking_id,
            "sent_to": c.sent_to,
            "sent_at": iso(c.sent_at),
            "signed_at": iso(c.signed_at),
            "completed_at": iso(c.completed_at),
            "declined_at": iso(c.declined_at),
            "decline_reason": c.decline_reason,
            "document_html": c.document_html,
            "document_sha256": c.document_sha256,
            "fields": c.field_values,
            "final_pdf_sha256": c.final_sha256,
            "signatures": [
                {
                    "role": s.role,
                    "kind": s.kind,
                    "typed_name": s.typed_name,
                    "signed_at": iso(s.signed_at),
                }
                for s in c.signatures.all()
            ],
            "events": [
                {
                    "at": iso(e.at),
                    "kind": e.kind,
                    "ip_address": e.ip_address,
                    "user_agent": e.user_agent,
                    "identified_by": e.identified_by,
                    "data": e.data,
                }
                for e in c.events.all()
            ],
        }
        for c in rows.prefetch_related("signatures", "events").order_by("created_at", "id")
    ]


def _delete(rows: QuerySet[Any], s: privacy.Subject) -> int:
    return rows.delete()[0]


HOLDERS = (
    privacy.Holder(
        "contracts.ContractEvent",
        personal=("ip_address", "user_agent", "identified_by", "data"),
        other_text=("kind", "prev_hash", "hash"),
        erase="delete",
        rows=lambda s: ContractEvent.objects.filter(contract__client=s.client),
        eraser=_delete,
        exported_in="contracts",
    ),
    privacy.Holder(
        "contracts.Signature",
        personal=("typed_name", "points", "png"),
        other_text=("role", "kind"),
        erase="delete",
        rows=lambda s: Signature.objects.filter(contract__client=s.client),
        eraser=_delete,
        exported_in="contracts",
    ),
    privacy.Holder(
        "contracts.Contract",
        personal=(
            "title",
            "document_html",
            "document_pdf",
            "merge_values",
            "field_values",
            "sent_to",
            "decline_reason",
            "void_reason",
            "final_pdf",
            "token",
            "last_error",
            "fields",
            "stamp",
        ),
        other_text=("status", "signers", "document_sha256", "final_sha256"),
        erase="delete",
        rows=_contract_rows,
        eraser=_delete,
        export_key="contracts",
        exporter=_export_contracts,
    ),
)


def register() -> None:
    known = {h.label for h in privacy.REGISTRY}
    new = tuple(h for h in HOLDERS if h.label not in known)
    # Before the CRM's own rows: erase walks the registry in order, the client record last.
    privacy.REGISTRY = (*new, *privacy.REGISTRY)
    privacy.NO_CLIENT_DATA.setdefault(
        "contracts.ContractTemplate",
        "the trainer's own documents; merge fields are filled in only on each sent contract",
    )
