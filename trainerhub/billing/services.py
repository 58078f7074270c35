"""The rules of the money ledger: recording payments and refunds, invoices from draft to
issued (numbered) to void (a credit note), business details. Called alike by pages, API,
worker and the event handlers; every refusal is a domain error (400 by field, 409 by code)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from sequences import get_next_value

from trainerhub.billing import packages_bridge, selectors
from trainerhub.billing.models import MAX_AMOUNT, BusinessDetails, Invoice, InvoiceLine, Payment
from trainerhub.billing.money import (
    ZERO,
    as_decimal,
    cents,
    has_cents_at_most,
    is_currency,
    line_amounts,
)
from trainerhub.core.errors import Conflict, InvalidInput
from trainerhub.core.events import emit
from trainerhub.core.locks import advisory_lock
from trainerhub.core.tenancy import TrainerRef, trainer_id_of
from trainerhub.core.timezones import zone
from trainerhub.core.validation import has_control_characters
from trainerhub.scheduling.models import Booking

MAX_LINES = 100
MAX_QUANTITY = Decimal("10000")
METHODS = tuple(Payment.Method.values)
# How far ahead a payment's date may be (a time zone's worth), else it is a typo.
PAID_AT_SLACK = timedelta(days=1)


# --- Input rules ----------------------------------------------------------------------------


def clean_amount(raw: Any, field: str, *, allow_zero: bool = False) -> Decimal:
    value = as_decimal(raw)
    if value is None:
        raise InvalidInput({field: ["Enter an amount, e.g. 45.00."]})
    if not has_cents_at_most(value):
        raise InvalidInput({field: ["Use at most two decimal places."]})
    if value < 0 or (value == 0 and not allow_zero):
        raise InvalidInput({field: ["Enter an amount greater than 0."]})
    if value > MAX_AMOUNT:
        raise InvalidInput({field: [f"Enter an amount of at most {MAX_AMOUNT:,.0f}."]})
    return cents(value)


def clean_currency(raw: Any, field: str = "currency") -> str:
    code = raw.strip().upper() if isinstance(raw, str) else raw
    if not is_currency(code):
        raise InvalidInput({field: ["Use an ISO 4217 currency code this product supports."]})
    return str(code)


def clean_rate(raw: Any, field: str) -> Decimal:
    value = as_decimal(raw)
    if value is None:
        raise InvalidInput({field: ["Enter a tax rate in percent, e.g. 20."]})
    if value < 0 or value > 100:
        raise InvalidInput({field: ["A tax rate is between 0 and 100 %."]})
    if not has_cents_at_most(value):
        raise InvalidInput({field: ["Use at most two decimal places."]})
    return value


def _clean_text(raw: Any, field: str, *, max_length: int, required: bool = False) -> str:
    text = (raw or "").strip() if isinstance(raw, str) or raw is None else None
    if text is None:
        raise InvalidInput({field: ["Enter text."]})
    if required and not text:
        raise InvalidInput({field: ["This field is required."]})
    if len(text) > max_length:
        raise InvalidInput({field: [f"Keep it to {max_length} characters."]})
    if has_control_characters(text):
        raise InvalidInput({field: ["Remove the control characters."]})
    return text


# --- Payments -------------------------------------------------------------------------------


def _check_paid_at(paid_at: datetime | None) -> datetime:
    now = timezone.now()
    if paid_at is None:
        return now
    if paid_at.tzinfo is None:
        raise InvalidInput({"paid_at": ["Include a UTC offset in the time."]})
    if paid_at > now + PAID_AT_SLACK:
        raise InvalidInput({"paid_at": ["A payment cannot be in the future."]})
    return paid_at


@transaction.atomic
def payment_record(
    *,
    trainer: TrainerRef,
    client: Any,
    amount: Any,
    method: str,
    booking: Booking | None = None,
    client_package: Any = None,
    invoice: Invoice | None = None,
    currency: str | None = None,
    paid_at: datetime | None = None,
    note: str = "",
    recorded_by: Any = None,
    external_id: str = "",
) -> Payment:
    """Record money received from `client` for exactly one of a booking, a client package or
    an (issued) invoice. The target must be the trainer's and the client's."""
    tid = trainer_id_of(trainer)
    targets = [t for t in (booking, client_package, invoice) if t is not None]
    if len(targets) != 1:
        raise InvalidInput(
            {
                "non_field_errors": [
                    "Say what the payment is for: a session, a package or an invoice (one of them)."
                ]
            }
        )
    if client is None or client.trainer_id != tid:
        raise InvalidInput({"client": ["Unknown client."]})
    value = clean_amount(amount, "amount")
    if method not in METHODS:
        raise InvalidInput({"method": [f"Use one of {', '.join(METHODS)}."]})
    expected = _target_currency(
        tid, client, booking=booking, client_package=client_package, invoice=invoice
    )
    code = clean_currency(currency) if currency else expected or getattr(client, "currency", "")
    if not code:
        code = _trainer_currency(tid)
    if expected and code != expected:
        raise InvalidInput({"currency": [f"This is billed in {expected}."]})
    payment = Payment.objects.create(
        trainer_id=tid,
        client=client,
        booking=booking,
        client_package_id=_package_id(client_package),
        invoice=invoice,
        amount=value,
        currency=code,
        method=method,
        paid_at=_check_paid_at(paid_at),
        note=_clean_text(note, "note", max_length=500),
        recorded_by=recorded_by if getattr(recorded_by, "pk", None) else None,
        external_id=external_id,
    )
    emit("payment.received", payment=payment)
    return payment


def _package_id(client_package: Any) -> int | None:
    if client_package is None:
        return None
    return int(getattr(client_package, "pk", client_package))


def _trainer_currency(trainer_id: int) -> str:
    from trainerhub.accounts.models import User

    return User.objects.filter(pk=trainer_id).values_list("currency", flat=True).first() or "EUR"


def _target_currency(
    tid: int,
    client: Any,
    *,
    booking: Booking | None,
    client_package: Any,
    invoice: Invoice | None,
) -> str:
    if booking is not None:
        if booking.trainer_id != tid:
            raise InvalidInput({"booking": ["Unknown session."]})
        if booking.client_id != client.pk:
            raise InvalidInput({"booking": ["This session is another client's."]})
        return booking.currency
    if invoice is not None:
        if invoice.trainer_id != tid:
            raise InvalidInput({"invoice": ["Unknown invoice."]})
        if invoice.client_id != client.pk:
            raise InvalidInput({"invoice": ["This invoice is another client's."]})
        if invoice.state != Invoice.State.ISSUED or invoice.kind != Invoice.Kind.INVOICE:
            raise InvalidInput({"invoice": ["Only an issued invoice takes payments."]})
        return invoice.currency
    facts = packages_bridge.package_facts(trainer=tid, pk=client_package)
    if facts is None:
        raise InvalidInput({"client_package": ["Unknown client package."]})
    if facts.client_id != client.pk:
        raise InvalidInput({"client_package": ["This package is another client's."]})
    return facts.currency


@transaction.atomic
def payment_refund(
    *,
    payment: Payment,
    amount: Any,
    note: str = "",
    recorded_by: Any = None,
    external_id: str = "",
) -> Payment:
    """Give back part or all of what is left of a payment: a negative payment naming it.
    Two refunds racing for the same rest are serialised on the payment's row."""
    if payment.refund_of_id is not None:
        raise InvalidInput({"non_field_errors": ["A refund cannot itself be refunded."]})
    value = clean_amount(amount, "amount")
    advisory_lock("billing.refund", payment.pk)
    original = Payment.objects.select_for_update().get(pk=payment.pk)
    if original.external_id and not external_id:
        # Money taken through Stripe goes back through Stripe (billing/refunds.py), so the
        # ledger never says "refunded" while the client's card saw nothing.
        raise Conflict(
            "This payment was made online: refund it through Stripe, from the booking.",
            code="refund_online",
        )
    refunded = Payment.objects.filter(refund_of=original).aggregate(s=Sum("amount"))["s"] or ZERO
    left = original.amount + refunded
    if value > left:
        raise Conflict(
            f"Only {left:.2f} {original.currency} of this payment is left to refund.",
            code="refund_too_large",
        )
    return Payment.objects.create(
        trainer_id=original.trainer_id,
        client_id=original.client_id,
        booking_id=original.booking_id,
        client_package_id=original.client_package_id,
        invoice_id=original.invoice_id,
        refund_of=original,
        amount=-value,
        currency=original.currency,
        method=original.method,
        paid_at=timezone.now(),
        note=_clean_text(note, "note", max_length=500),
        recorded_by=recorded_by if getattr(recorded_by, "pk", None) else None,
        external_id=external_id,
    )


def on_client_package_sold(
    *, event: str, client_package: Any, payment: Any = None, actor_user: Any = None, **_: Any
) -> None:
    """A package sold with a payment: the payment is recorded in the sale's transaction (a
    refusal, e.g. an absurd amount, undoes the sale)."""
    if not payment:
        return
    data = payment if isinstance(payment, dict) else vars(payment)
    payment_record(
        trainer=client_package.trainer_id,
        client=client_package.client,
        client_package=client_package,
        amount=data.get("amount"),
        method=data.get("method") or Payment.Method.OTHER,
        currency=data.get("currency") or getattr(client_package, "currency", None),
        paid_at=data.get("paid_at"),
        note=data.get("note", ""),
        recorded_by=actor_user or data.get("recorded_by"),
    )


# --- Business details ---------------------------------------------------------------------


def business_details_update(*, trainer: TrainerRef, **fields: Any) -> BusinessDetails:
    row = selectors.business_details_for(trainer=trainer)
    for name, value in fields.items():
        if name not in BusinessDetails.EDITABLE_FIELDS:
            raise InvalidInput({name: ["Unknown setting."]})
        setattr(row, name, value)
    row.default_tax_rate = clean_rate(row.default_tax_rate, "default_tax_rate")
    row.full_clean(exclude=["trainer"])
    row.save()
    return row


# --- Invoices -------------------------------------------------------------------------------


@dataclass(frozen=True)
class LineInput:
    description: str
    quantity: Decimal
    unit_price: Decimal
    tax_rate: Decimal
    booking: Booking | None = None
    client_package_id: int | None = None


def clean_lines(raw: Any, *, default_rate: Decimal) -> list[LineInput]:
    if not isinstance(raw, list | tuple) or not raw:
        raise InvalidInput({"lines": ["Add at least one line."]})
    if len(raw) > MAX_LINES:
        raise InvalidInput({"lines": [f"At most {MAX_LINES} lines."]})
    lines = []
    for i, item in enumerate(raw, start=1):
        if isinstance(item, LineInput):
            lines.append(item)
            continue
        if not isinstance(item, dict):
            raise InvalidInput({"lines": [f"Line {i}: send an object."]})
        try:
            description = _clean_text(
                item.get("description"), "description", max_length=300, required=True
            )
            quantity = as_decimal(item.get("quantity", 1))
            if quantity is None or quantity <= 0 or quantity > MAX_QUANTITY:
                raise InvalidInput({"quantity": ["Enter a quantity greater than 0."]})
            if not has_cents_at_most(quantity):
                raise InvalidInput({"quantity": ["Use at most two decimal places."]})
            unit_price = clean_amount(item.get("unit_price"), "unit_price", allow_zero=True)
            rate = item.get("tax_rate")
            tax_rate = default_rate if rate in (None, "") else clean_rate(rate, "tax_rate")
        except InvalidInput as exc:
            field, messages = next(iter(exc.errors.items()))
            raise InvalidInput({"lines": [f"Line {i}, {field}: {messages[0]}"]}) from exc
        lines.append(LineInput(description, quantity, unit_price, tax_rate))
    return lines


def _booking_line(booking: Booking, tax_rate: Decimal, tz_name: str) -> LineInput:
    local = booking.start.astimezone(zone(tz_name))
    return LineInput(
        description=f"{booking.service.name}, {local:%d %b %Y %H:%M}",
        quantity=Decimal("1"),
        unit_price=selectors.booking_total(booking),
        tax_rate=tax_rate,
        booking=booking,
    )


def _lines_from_bookings(
    tid: int, client: Any, bookings: Any, *, tax_rate: Decimal, tz_name: str
) -> tuple[list[LineInput], str]:
    rows = list(bookings or [])
    if not rows:
        raise InvalidInput({"bookings": ["Choose at least one session."]})
    if len(rows) > MAX_LINES:
        raise InvalidInput({"bookings": [f"At most {MAX_LINES} sessions."]})
    for b in rows:
        if b.trainer_id != tid:
            raise InvalidInput({"bookings": ["Unknown session."]})
        if b.client_id != client.pk:
            raise InvalidInput({"bookings": ["Each session must be this client's."]})
        if b.status == Booking.Status.DECLINED:
            raise InvalidInput({"bookings": ["A declined request is not billed."]})
    currencies = {b.currency for b in rows}
    if len(currencies) > 1:
        raise InvalidInput({"bookings": ["These sessions are in different currencies."]})
    taken = selectors.invoiced_booking_ids(trainer=tid, booking_ids=[b.pk for b in rows])
    if taken:
        label = next(iter(taken.values()))
        raise InvalidInput({"bookings": [f"A session is already on invoice {label}."]})
    rows.sort(key=lambda b: b.start)
    return [_booking_line(b, tax_rate, tz_name) for b in rows], currencies.pop()


def _lines_from_package(
    tid: int, client: Any, pk: Any, *, tax_rate: Decimal
) -> tuple[list[LineInput], str]:
    facts = packages_bridge.package_facts(trainer=tid, pk=pk)
    if facts is None:
        raise InvalidInput({"client_package": ["Unknown client package."]})
    if facts.client_id != client.pk:
        raise InvalidInput({"client_package": ["This package is another client's."]})
    sessions = f" ({facts.sessions} sessions)" if facts.sessions else ""
    line = LineInput(
        description=f"{facts.name}{sessions}",
        quantity=Decimal("1"),
        unit_price=facts.price,
        tax_rate=tax_rate,
        client_package_id=facts.id,
    )
    return [line], facts.currency


def _write_lines(invoice: Invoice, lines: list[LineInput]) -> None:
    invoice.lines.all().delete()
    subtotal = tax = total = ZERO
    rows = []
    for position, line in enumerate(lines):
        amounts = line_amounts(
            line.quantity, line.unit_price, line.tax_rate, gross_prices=invoice.prices_include_tax
        )
        rows.append(
            InvoiceLine(
                trainer_id=invoice.trainer_id,
                invoice=invoice,
                position=position,
                description=line.description,
                quantity=line.quantity,
                unit_price=line.unit_price,
                tax_rate=line.tax_rate,
                booking=line.booking,
                client_package_id=line.client_package_id,
                net=amounts.net,
                tax=amounts.tax,
                gross=amounts.gross,
            )
        )
        subtotal += amounts.net
        tax += amounts.tax
        total += amounts.gross
    InvoiceLine.objects.bulk_create(rows)
    invoice.subtotal, invoice.tax_total, invoice.total = subtotal, tax, total
    invoice.save(update_fields=["subtotal", "tax_total", "total", "updated_at"])


def _trainer_tz(tid: int) -> str:
    from trainerhub.accounts.models import User

    return User.objects.filter(pk=tid).values_list("timezone", flat=True).first() or "UTC"


@transaction.atomic
def invoice_create(
    *,
    trainer: TrainerRef,
    client: Any,
    lines: Any = None,
    bookings: Any = None,
    client_package: Any = None,
    currency: str | None = None,
    notes: str = "",
) -> Invoice:
    """A draft invoice from free lines, from sessions, or from a client package."""
    tid = trainer_id_of(trainer)
    if client is None or client.trainer_id != tid:
        raise InvalidInput({"client": ["Unknown client."]})
    sources = [s for s in (lines, bookings, client_package) if s not in (None, [], ())]
    if len(sources) != 1:
        raise InvalidInput(
            {"non_field_errors": ["Give the invoice lines, sessions or a client package (one)."]}
        )
    details = selectors.business_details_for(trainer=tid)
    rate = details.default_tax_rate
    if lines not in (None, [], ()):
        line_rows = clean_lines(lines, default_rate=rate)
        code = clean_currency(currency) if currency else _trainer_currency(tid)
    elif bookings not in (None, [], ()):
        line_rows, code = _lines_from_bookings(
            tid, client, bookings, tax_rate=rate, tz_name=_trainer_tz(tid)
        )
    else:
        line_rows, code = _lines_from_package(tid, client, client_package, tax_rate=rate)
    invoice = Invoice.objects.create(
        trainer_id=tid,
        client=client,
        currency=code or _trainer_currency(tid),
        prices_include_tax=details.prices_include_tax,
        notes=_clean_text(notes, "notes", max_length=2000),
    )
    _write_lines(invoice, line_rows)
    return invoice


def _refuse_unless_draft(invoice: Invoice) -> None:
    if invoice.state != Invoice.State.DRAFT:
        raise Conflict(
            "An issued invoice is never changed or deleted: void it (a credit note) instead.",
            code="invoice_issued",
        )


@transaction.atomic
def invoice_update(
    *,
    invoice: Invoice,
    lines: Any = None,
    notes: str | None = None,
    client: Any = None,
    currency: str | None = None,
) -> Invoice:
    invoice = Invoice.objects.select_for_update().get(pk=invoice.pk)
    _refuse_unless_draft(invoice)
    fields = ["updated_at"]
    if client is not None:
        if client.trainer_id != invoice.trainer_id:
            raise InvalidInput({"client": ["Unknown client."]})
        if invoice.lines.filter(booking__isnull=False).exclude(booking__client=client).exists():
            raise InvalidInput({"client": ["The invoice bills another client's sessions."]})
        invoice.client = client
        fields.append("client")
    if currency is not None:
        invoice.currency = clean_currency(currency)
        fields.append("currency")
    if notes is not None:
        invoice.notes = _clean_text(notes, "notes", max_length=2000)
        fields.append("notes")
    invoice.save(update_fields=fields)
    if lines is not None:
        rate = selectors.business_details_for(trainer=invoice.trainer_id).default_tax_rate
        _write_lines(invoice, clean_lines(lines, default_rate=rate))
    return invoice


@transaction.atomic
def invoice_delete(*, invoice: Invoice) -> None:
    invoice = Invoice.objects.select_for_update().get(pk=invoice.pk)
    _refuse_unless_draft(invoice)
    invoice.delete()


def sequence_name(trainer_id: int, year: int) -> str:
    return f"billing.invoice.{trainer_id}.{year}"


def invoice_number(prefix: str, year: int, sequence: int) -> str:
    return f"{prefix}{year}-{sequence:04d}"


def _seller(details: BusinessDetails, trainer: Any) -> dict[str, Any]:
    return {
        "legal_name": details.legal_name or trainer.display_name,
        "address": details.address,
        "tax_id": details.tax_id,
        "footer": details.footer,
        "email": trainer.email,
        "paper": details.paper,
        "logo": details.logo.name if details.logo else "",
        "payment_terms_days": details.payment_terms_days,
    }


def _buyer(client: Any) -> dict[str, Any]:
    return {"name": client.full_name, "email": client.email, "address": client.address}


def _number(invoice: Invoice, details: BusinessDetails, issued_on: date) -> None:
    """The next number of the trainer's series for the year, from a counter row locked until
    this transaction ends: a rolled-back issue gives its number back, two issues never share."""
    year = issued_on.year
    invoice.year = year
    invoice.sequence = get_next_value(sequence_name(invoice.trainer_id, year))
    invoice.number = invoice_number(details.number_prefix, year, invoice.sequence)


@transaction.atomic
def invoice_issue(*, invoice: Invoice, today: date | None = None) -> Invoice:
    from trainerhub.accounts.models import User

    invoice = Invoice.objects.select_for_update().select_related("client").get(pk=invoice.pk)
    _refuse_unless_draft(invoice)
    if not invoice.lines.exists():
        raise InvalidInput({"lines": ["Add at least one line before issuing."]})
    trainer = User.objects.get(pk=invoice.trainer_id)
    details = selectors.business_details_for(trainer=trainer)
    issued_on = today or timezone.localdate(timezone=zone(trainer.timezone))
    _number(invoice, details, issued_on)
    invoice.state = Invoice.State.ISSUED
    invoice.issued_on = issued_on
    invoice.due_on = issued_on + timedelta(days=details.payment_terms_days)
    invoice.seller = _seller(details, trainer)
    invoice.buyer = _buyer(invoice.client)
    invoice.save()
    emit("invoice.issued", invoice=invoice)
    return invoice


@transaction.atomic
def invoice_void(*, invoice: Invoice, today: date | None = None) -> Invoice:
    """Void an issued invoice: a credit note of the same lines, negated, numbered in the
    same series, in one transaction. Answers the credit note."""
    from trainerhub.accounts.models import User

    invoice = Invoice.objects.select_for_update().get(pk=invoice.pk)
    if invoice.state == Invoice.State.DRAFT:
        raise Conflict("A draft has no number: delete it instead.", code="invoice_draft")
    if invoice.state == Invoice.State.VOID:
        raise Conflict("This invoice is already void.", code="invoice_void")
    if invoice.kind == Invoice.Kind.CREDIT_NOTE:
        raise Conflict("A credit note cannot be voided.", code="invoice_issued")
    trainer = User.objects.get(pk=invoice.trainer_id)
    details = selectors.business_details_for(trainer=trainer)
    issued_on = today or timezone.localdate(timezone=zone(trainer.timezone))
    note = Invoice.objects.create(
        trainer_id=invoice.trainer_id,
        kind=Invoice.Kind.CREDIT_NOTE,
        client_id=invoice.client_id,
        currency=invoice.currency,
        prices_include_tax=invoice.prices_include_tax,
        credit_note_for=invoice,
        notes=f"Cancels invoice {invoice.number}.",
        seller=invoice.seller,
        buyer=invoice.buyer,
    )
    lines = [
        InvoiceLine(
            trainer_id=line.trainer_id,
            invoice=note,
            position=line.position,
            description=line.description,
            quantity=line.quantity,
            unit_price=-line.unit_price,
            tax_rate=line.tax_rate,
            client_package_id=line.client_package_id,
            net=-line.net,
            tax=-line.tax,
            gross=-line.gross,
        )
        for line in invoice.lines.all()
    ]
    InvoiceLine.objects.bulk_create(lines)
    note.subtotal, note.tax_total, note.total = (
        -invoice.subtotal,
        -invoice.tax_total,
        -invoice.total,
    )
    _number(note, details, issued_on)
    note.state = Invoice.State.ISSUED
    note.issued_on = note.due_on = issued_on
    note.save()
    invoice.state = Invoice.State.VOID
    invoice.voided_at = timezone.now()
    invoice.save(update_fields=["state", "voided_at", "updated_at"])
    return note
