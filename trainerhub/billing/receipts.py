"""Receipts: every payment and refund made online gets one, numbered per trainer and year in
its own series (`R2026-0001`), and is emailed to the client with the PDF attached through
the outbox (rendered at send time from the stored rows; the outbox keeps no copy).

The number comes from a django-sequences counter row locked in the transaction that records
the money, so a rolled-back payment gives its number back and two never share one.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.template.loader import render_to_string
from sequences import get_next_value

from trainerhub.billing.models import BusinessDetails, Payment, Receipt
from trainerhub.billing.money import money_text
from trainerhub.notifications import documents, outbox
from trainerhub.notifications.channels.base import Attachment
from trainerhub.notifications.models import Kind

if TYPE_CHECKING:
    from trainerhub.notifications.models import Notification

# Message kinds: email only (a receipt carries its PDF) and always sent, whatever the
# trainer's preferences or the client's "stop reminders" (notifications.ALWAYS_SENT_KINDS).
PAYMENT_RECEIPT = Kind.PAYMENT_RECEIPT
REFUND_RECEIPT = Kind.REFUND_RECEIPT
PDF = "application/pdf"


def receipt_number(year: int, sequence: int) -> str:
    return f"R{year}-{sequence:04d}"


def receipt_send(*, payment: Payment) -> Receipt:
    """Number the receipt of `payment` and queue its email, once (inside the caller's
    transaction: the receipt exists exactly when the money was recorded)."""
    existing = Receipt.objects.filter(payment=payment).first()
    if existing is not None:
        return existing
    year = payment.paid_at.year
    sequence = get_next_value(f"billing.receipt.{payment.trainer_id}.{year}")
    receipt = Receipt.objects.create(
        trainer_id=payment.trainer_id,
        payment=payment,
        year=year,
        sequence=sequence,
        number=receipt_number(year, sequence),
    )
    client = payment.client
    if getattr(client, "email", ""):
        outbox.to_client_email(
            trainer=payment.trainer,
            client=client,
            kind=REFUND_RECEIPT if payment.is_refund else PAYMENT_RECEIPT,
            dedupe=f"receipt:{receipt.pk}",
            context={"receipt": receipt.pk},
        )
    return receipt


def _row_receipt(row: Notification) -> Receipt | None:
    pk = (row.context or {}).get("receipt")
    if not pk:
        return None
    return (
        Receipt.objects.filter(pk=pk, trainer_id=row.trainer_id)
        .select_related("payment", "payment__client", "payment__trainer", "payment__booking")
        .first()
    )


def pdf_context(receipt: Receipt) -> dict[str, Any]:
    payment = receipt.payment
    details = BusinessDetails.objects.filter(trainer_id=receipt.trainer_id).first()
    trainer = payment.trainer
    booking = payment.booking
    what = "Package"
    if booking is not None:
        what = f"{booking.service.name}, {booking.start:%Y-%m-%d %H:%M} UTC"
    return {
        "receipt": receipt,
        "is_refund": payment.is_refund,
        "amount": money_text(abs(payment.amount), payment.currency),
        "paid_at": payment.paid_at,
        "what": what,
        "client_name": f"{payment.client.first_name} {payment.client.last_name}".strip(),
        "seller": (details.legal_name if details and details.legal_name else "")
        or trainer.display_name,
        "address": details.address if details else "",
        "method": payment.get_method_display(),
    }


def receipt_pdf(receipt: Receipt) -> bytes:
    from weasyprint import HTML  # type: ignore[import-untyped]

    html = render_to_string("billing/receipt_pdf.html", pdf_context(receipt))
    return HTML(string=html, base_url=None).write_pdf()


def _email_context(row: Notification) -> dict[str, Any]:
    receipt = _row_receipt(row)
    if receipt is None:
        return {}
    ctx = pdf_context(receipt)
    return {
        "receipt": {
            "number": receipt.number,
            "amount": ctx["amount"],
            "what": ctx["what"],
            "is_refund": ctx["is_refund"],
        },
        "unsubscribe_url": "",
    }


def _attachments(row: Notification) -> list[Attachment]:
    receipt = _row_receipt(row)
    if receipt is None:
        return []
    return [Attachment(f"receipt-{receipt.number}.pdf", receipt_pdf(receipt), PDF)]


def register_all() -> None:
    for kind in (PAYMENT_RECEIPT, REFUND_RECEIPT):
        documents.register(kind, context=_email_context, attachments=_attachments)
