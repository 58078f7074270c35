"""Where billing keeps a client's data, for the privacy export and erase (clients/privacy.py).

What erase keeps, and why: tax law makes a business keep its accounting records and the
invoices it issued for years (e.g. 6 in the UK, 10 in Germany and France), and GDPR art.
17(3)(b) lets it keep what a legal obligation requires. So erase keeps every payment's amount,
currency, method and date (the ledger must still add up) and every issued invoice and credit
note as issued (number, lines, totals, and the buyer's name and address, which an invoice must
carry), while it removes what no law asks for: payment notes, the buyer's email on invoices,
and draft invoices with their lines (never issued, so no record to keep). The client record
itself is anonymised by the CRM, so pages and lists show "Erased client".
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from trainerhub.billing.models import Invoice, InvoiceLine, OnlinePayment, Payment
from trainerhub.clients.privacy import Holder, Subject, holder_add, iso_or_value, no_client_data_add


def _payments(s: Subject) -> QuerySet[Any]:
    return Payment.objects.filter(client=s.client)


def _erase_payments(rows: QuerySet[Any], s: Subject) -> int:
    return rows.exclude(note="").update(note="")


def _export_payments(rows: QuerySet[Any]) -> list[dict[str, Any]]:
    return [
        {
            "id": p.pk,
            "paid_at": iso_or_value(p.paid_at),
            "amount": f"{p.amount:.2f}",
            "currency": p.currency,
            "method": p.method,
            "booking": p.booking_id,
            "client_package": p.client_package_id,
            "invoice": p.invoice_id,
            "refund_of": p.refund_of_id,
            "note": p.note,
        }
        for p in rows.order_by("paid_at", "id")
    ]


def _invoices(s: Subject) -> QuerySet[Any]:
    return Invoice.objects.filter(client=s.client)


def _lines(s: Subject) -> QuerySet[Any]:
    return InvoiceLine.objects.filter(invoice__client=s.client)


def _erase_lines(rows: QuerySet[Any], s: Subject) -> int:
    # Lines of drafts go with their drafts; an issued invoice's lines are the tax record.
    return rows.filter(invoice__state=Invoice.State.DRAFT).delete()[0]


def _erase_invoices(rows: QuerySet[Any], s: Subject) -> int:
    deleted = rows.filter(state=Invoice.State.DRAFT).delete()[0]
    changed = 0
    for invoice in rows.exclude(state=Invoice.State.DRAFT):
        if invoice.buyer.get("email"):
            invoice.buyer = {**invoice.buyer, "email": ""}
            invoice.save(update_fields=["buyer", "updated_at"])
            changed += 1
    return deleted + changed


def _export_invoices(rows: QuerySet[Any]) -> list[dict[str, Any]]:
    return [
        {
            "id": inv.pk,
            "kind": inv.kind,
            "number": inv.number,
            "state": inv.state,
            "issued_on": iso_or_value(inv.issued_on),
            "due_on": iso_or_value(inv.due_on),
            "currency": inv.currency,
            "total": f"{inv.total:.2f}",
            "buyer": inv.buyer,
            "notes": inv.notes,
            "lines": [
                {
                    "description": line.description,
                    "quantity": str(line.quantity),
                    "unit_price": f"{line.unit_price:.2f}",
                    "tax_rate": str(line.tax_rate),
                    "gross": f"{line.gross:.2f}",
                }
                for line in inv.lines.all()
            ],
        }
        for inv in rows.prefetch_related("lines").order_by("created_at", "id")
    ]


def _online(s: Subject) -> QuerySet[Any]:
    return OnlinePayment.objects.filter(client=s.client)


def _keep(rows: QuerySet[Any], s: Subject) -> int:
    # Stripe's ids and amounts only: the accounting record of a payment, kept like it.
    return 0


def _export_online(rows: QuerySet[Any]) -> list[dict[str, Any]]:
    return [
        {
            "id": o.pk,
            "created_at": iso_or_value(o.created_at),
            "amount": f"{o.amount:.2f}",
            "currency": o.currency,
            "state": o.state,
            "booking": o.booking_id,
            "package": o.package_id,
            "payment": o.payment_id,
        }
        for o in rows.order_by("created_at", "id")
    ]


def register() -> None:
    # Added in front of the registry: erased before the records they point to.
    holder_add(
        Holder(
            "billing.Payment",
            personal=("note",),
            other_text=("currency", "method", "external_id"),
            erase="blank",
            rows=_payments,
            eraser=_erase_payments,
            export_key="payments",
            exporter=_export_payments,
        )
    )
    holder_add(
        Holder(
            "billing.Invoice",
            personal=("buyer", "notes"),
            other_text=("kind", "state", "currency", "number", "seller"),
            erase="anonymise",
            rows=_invoices,
            eraser=_erase_invoices,
            export_key="invoices",
            exporter=_export_invoices,
        )
    )
    holder_add(
        Holder(
            "billing.InvoiceLine",
            personal=("description",),
            erase="delete",
            rows=_lines,
            eraser=_erase_lines,
            exported_in="invoices",
        )
    )
    holder_add(
        Holder(
            "billing.OnlinePayment",
            personal=(),
            other_text=("currency", "state", "session_id", "checkout_url", "payment_intent"),
            erase="blank",
            rows=_online,
            eraser=_keep,
            export_key="online_payments",
            exporter=_export_online,
        )
    )
    no_client_data_add("billing.BusinessDetails", "the trainer's own business details")
    no_client_data_add("billing.StripeAccount", "the trainer's own Stripe keys and policy")
    no_client_data_add(
        "billing.StripeEvent",
        "Stripe event ids and types, with only the ids, states and amounts acted on "
        "(online.slim drops names, emails and addresses before storing)",
    )
    no_client_data_add("billing.RefundRequest", "amounts, states and Stripe refund ids")
    no_client_data_add("billing.Receipt", "receipt numbers of payments")
    no_client_data_add("sequences.Sequence", "invoice number counters (a name and a number)")
