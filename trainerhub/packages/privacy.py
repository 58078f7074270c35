"""Where packages keep a client's data, for the per-client export and erase (clients/privacy.py,
registered at PackagesConfig.ready()).

A client package and its ledger are money records: erase keeps them (linked to the
anonymised client record, so the trainer's figures still add up) and blanks the one free
text, the reasons of the ledger, which the trainer may have written about the person."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from trainerhub.clients.privacy import Holder, Subject, holder_add, iso_or_value, no_client_data_add
from trainerhub.packages.models import ClientPackage, LedgerEntry


def _packages(s: Subject) -> QuerySet[Any]:
    return ClientPackage.objects.filter(trainer_id=s.client.trainer_id, client=s.client)


def _entries(s: Subject) -> QuerySet[Any]:
    return LedgerEntry.objects.filter(
        trainer_id=s.client.trainer_id, client_package__client=s.client
    )


def _keep(rows: QuerySet[Any], s: Subject) -> int:
    return rows.count()


def _blank_reasons(rows: QuerySet[Any], s: Subject) -> int:
    # A bulk update: the ledger refuses changes through save(), erase is the one exception.
    return rows.exclude(reason="").update(reason="")


def _export(rows: QuerySet[Any]) -> list[dict[str, Any]]:
    out = []
    for cp in rows.prefetch_related("entries").order_by("purchased_at", "id"):
        entries = sorted(cp.entries.all(), key=lambda e: (e.created_at, e.pk))
        out.append(
            {
                "id": cp.pk,
                "name": cp.name,
                "sessions_total": cp.sessions_total,
                "sessions_remaining": sum(e.sessions for e in entries),
                "price": str(cp.price),
                "currency": cp.currency,
                "purchased_at": iso_or_value(cp.purchased_at),
                "expires_on": iso_or_value(cp.expires_on),
                "refunded_at": iso_or_value(cp.refunded_at),
                "ledger": [
                    {
                        "kind": e.kind,
                        "sessions": e.sessions,
                        "booking": e.booking_id,
                        "reason": e.reason,
                        "created_at": iso_or_value(e.created_at),
                    }
                    for e in entries
                ],
            }
        )
    return out


def register() -> None:
    holder_add(
        Holder(
            "packages.ClientPackage",
            personal=(),
            other_text=("name", "currency"),
            erase="anonymise",
            rows=_packages,
            eraser=_keep,
            export_key="client_packages",
            exporter=_export,
        )
    )
    holder_add(
        Holder(
            "packages.LedgerEntry",
            personal=("reason",),
            other_text=("kind",),
            erase="blank",
            rows=_entries,
            eraser=_blank_reasons,
            exported_in="client_packages",
        )
    )
    no_client_data_add("packages.Package", "the trainer's offer")
