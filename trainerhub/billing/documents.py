"""An invoice as paper (a PDF rendered with WeasyPrint from an HTML template) and as an email
through the notifications outbox (the PDF attached, rendered at send time)."""

from __future__ import annotations

import base64
import mimetypes
from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from trainerhub.billing import selectors
from trainerhub.billing.models import BusinessDetails, Invoice
from trainerhub.billing.money import money_text, tax_summary
from trainerhub.notifications import documents, outbox
from trainerhub.notifications.channels.base import Attachment
from trainerhub.notifications.models import Kind, Notification

PDF = "application/pdf"


def _logo_data_uri(name: str) -> str:
    """The logo inlined, so rendering never fetches anything over the network."""
    if not name:
        return ""
    from django.core.files.storage import default_storage

    try:
        with default_storage.open(name, "rb") as fh:
            data = fh.read(2 * 1024 * 1024)
    except OSError:
        return ""
    kind = mimetypes.guess_type(name)[0] or "image/png"
    if kind not in ("image/png", "image/jpeg", "image/gif", "image/webp"):
        return ""
    return f"data:{kind};base64,{base64.b64encode(data).decode()}"


def pdf_context(invoice: Invoice) -> dict[str, Any]:
    details = selectors.business_details_for(trainer=invoice.trainer_id)
    seller = invoice.seller or {
        "legal_name": details.legal_name or invoice.trainer.display_name,
        "address": details.address,
        "tax_id": details.tax_id,
        "footer": details.footer,
        "email": invoice.trainer.email,
        "paper": details.paper,
        "logo": details.logo.name if details.logo else "",
    }
    buyer = invoice.buyer or {
        "name": invoice.client.full_name,
        "email": invoice.client.email,
        "address": invoice.client.address,
    }
    lines = selectors.invoice_lines(invoice)
    status = selectors.invoice_status(invoice)
    paid = selectors.invoice_paid(invoice)
    return {
        "invoice": invoice,
        "seller": seller,
        "buyer": buyer,
        "lines": lines,
        "taxes": tax_summary(lines),
        "status": status,
        "status_label": selectors.INVOICE_STATUS_LABELS.get(status, status),
        "paid": paid,
        "outstanding": selectors.invoice_outstanding(invoice),
        "paper": "letter" if seller.get("paper") == BusinessDetails.Paper.LETTER else "A4",
        "logo": _logo_data_uri(seller.get("logo", "")),
        "title": "Credit note" if invoice.kind == Invoice.Kind.CREDIT_NOTE else "Invoice",
    }


def invoice_pdf(invoice: Invoice) -> bytes:
    from weasyprint import HTML  # type: ignore[import-untyped]

    html = render_to_string("billing/invoice_pdf.html", pdf_context(invoice))
    return HTML(string=html, base_url=None).write_pdf()


def pdf_filename(invoice: Invoice) -> str:
    label = invoice.number or f"draft-{invoice.pk}"
    return f"{'credit-note' if invoice.kind == Invoice.Kind.CREDIT_NOTE else 'invoice'}-{label}.pdf"


def _portal_url(invoice: Invoice) -> str:
    try:
        return settings.SITE_URL + reverse("billing:my_invoices")
    except NoReverseMatch:
        return ""


def _row_invoice(row: Notification) -> Invoice | None:
    pk = (row.context or {}).get("invoice")
    if not pk:
        return None
    return (
        Invoice.objects.filter(pk=pk, trainer_id=row.trainer_id)
        .select_related("client", "trainer")
        .first()
    )


def _email_context(row: Notification) -> dict[str, Any]:
    invoice = _row_invoice(row)
    if invoice is None:
        return {}
    return {
        "invoice": {
            "number": invoice.number,
            "is_credit_note": invoice.kind == Invoice.Kind.CREDIT_NOTE,
            "total": money_text(invoice.total, invoice.currency),
            "due_on": invoice.due_on.isoformat() if invoice.due_on else "",
            "outstanding": money_text(selectors.invoice_outstanding(invoice), invoice.currency),
            "url": _portal_url(invoice),
        },
        # An invoice is not a reminder: no "stop reminder messages" link or header.
        "unsubscribe_url": "",
    }


def _email_attachments(row: Notification) -> list[Attachment]:
    invoice = _row_invoice(row)
    if invoice is None:
        return []
    return [Attachment(pdf_filename(invoice), invoice_pdf(invoice), PDF)]


def register_all() -> None:
    for kind in (Kind.INVOICE_SENT, Kind.INVOICE_OVERDUE):
        documents.register(kind, context=_email_context, attachments=_email_attachments)


def invoice_send(*, invoice: Invoice) -> Notification:
    """Queue the invoice's email to the client, PDF attached (each send is a new message)."""
    from trainerhub.core.errors import Conflict, InvalidInput

    if invoice.state == Invoice.State.DRAFT:
        raise Conflict("Issue the invoice before sending it.", code="invoice_draft")
    if not invoice.client.email:
        raise InvalidInput({"client": ["The client has no email address."]})
    stamp = timezone.now()
    row, _ = outbox.to_client_email(
        trainer=invoice.trainer,
        client=invoice.client,
        kind=Kind.INVOICE_SENT,
        dedupe=f"invoice:{invoice.pk}:{stamp:%Y%m%d%H%M%S%f}",
        context={"invoice": invoice.pk},
    )
    Invoice.objects.filter(pk=invoice.pk).update(sent_at=stamp)
    return row
