"""Money pages: payments (list, export, record, refund), who owes what, invoices, business
details, and the client's own invoices. Every decision is the billing services'; these views
only translate."""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from trainerhub.accounts.decorators import client_required, trainer_required
from trainerhub.accounts.requests import TrainerHttpRequest
from trainerhub.billing import documents, selectors, services
from trainerhub.billing.forms import (
    BusinessDetailsForm,
    ClientPaymentForm,
    InvoiceForm,
    LineFormSet,
    PaymentFilterForm,
    PaymentForm,
    RefundForm,
)
from trainerhub.billing.models import Payment
from trainerhub.clients import selectors as client_selectors
from trainerhub.clients.exporting import export_filename
from trainerhub.clients.exporting import render as render_table
from trainerhub.core.errors import DomainError, InvalidInput
from trainerhub.core.forms import domain_errors_to_form
from trainerhub.core.timezones import local_day_bounds, to_local
from trainerhub.packages import selectors as package_selectors
from trainerhub.scheduling import selectors as scheduling_selectors

PAGE_SIZE = 50
FILTER_KEYS = ("start", "end", "method", "client", "status")


# --- Payments list -------------------------------------------------------------------------


def _filtered_payments(request: TrainerHttpRequest) -> tuple[PaymentFilterForm, Any]:
    trainer = request.user
    bound = any(key in request.GET for key in FILTER_KEYS)
    clients = client_selectors.clients_for_trainer(trainer=trainer)
    form = PaymentFilterForm(request.GET if bound else None, clients=clients)
    filters: dict[str, Any] = {}
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        if data["start"]:
            filters["start"] = local_day_bounds(trainer.timezone, data["start"], data["start"])[0]
        if data["end"]:
            filters["end"] = local_day_bounds(trainer.timezone, data["end"], data["end"])[1]
        filters.update(
            method=data["method"] or None,
            client=data["client"],
            status=data["status"] or None,
        )
    return form, selectors.payments_for_trainer(trainer=trainer, **filters)


@trainer_required
def home(request: TrainerHttpRequest) -> HttpResponse:
    form, payments = _filtered_payments(request)
    page = Paginator(payments, PAGE_SIZE).get_page(request.GET.get("page"))
    query = urlencode({k: v for k, v in request.GET.items() if k in FILTER_KEYS})
    ctx = {
        "form": form,
        "page": page,
        "query": query,
        "totals": selectors.payment_totals(payments),
        "owed": selectors.balances(trainer=request.user)[:5],
    }
    template = "billing/home.html#results" if request.htmx else "billing/home.html"
    return render(request, template, ctx)


PAYMENT_HEADERS = [
    "Id",
    "Paid at",
    "Client",
    "For",
    "Amount",
    "Currency",
    "Method",
    "Refund of",
    "Note",
    "Recorded by",
]


@trainer_required
def export(request: TrainerHttpRequest, fmt: str) -> HttpResponse:
    if fmt not in ("csv", "xlsx"):
        raise Http404
    _, payments = _filtered_payments(request)
    tz_name = request.user.timezone
    rows = [
        [
            p.pk,
            to_local(p.paid_at, tz_name).replace(tzinfo=None),
            p.client.full_name,
            _target_text(p),
            p.amount,
            p.currency,
            p.get_method_display(),
            p.refund_of_id or "",
            p.note,
            p.recorded_by.name if p.recorded_by else "",
        ]
        for p in payments
    ]
    body, content_type = render_table(fmt, PAYMENT_HEADERS, rows, title="Payments")
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{export_filename("payments", fmt)}"'
    return response


def _target_text(p: Payment) -> str:
    if p.booking_id and p.booking is not None:
        return f"Session {p.booking.service.name} {p.booking.start:%Y-%m-%d}"
    if p.invoice_id and p.invoice is not None:
        return f"Invoice {p.invoice.number}"
    return f"Package #{p.client_package_id}"


@trainer_required
def owed(request: TrainerHttpRequest) -> HttpResponse:
    return render(request, "billing/owed.html", {"rows": selectors.balances(trainer=request.user)})


# --- Recording payments -----------------------------------------------------------------------


def _record(request: TrainerHttpRequest, form: PaymentForm, **target: Any) -> Payment | None:
    if not form.is_valid():
        return None
    data = form.cleaned_data
    try:
        return services.payment_record(
            trainer=request.user,
            amount=data["amount"],
            method=data["method"],
            paid_at=data.get("paid_at"),
            note=data.get("note", ""),
            recorded_by=request.user,
            **target,
        )
    except DomainError as exc:
        domain_errors_to_form(form, exc, refusal_field="amount")
        return None


@trainer_required
def booking_money(request: TrainerHttpRequest, pk: int) -> HttpResponse:
    """The money section of a booking's page and calendar panel (loaded by htmx)."""
    booking = scheduling_selectors.booking_get_for_trainer(trainer=request.user, pk=pk)
    money = selectors.booking_money(booking)
    form = PaymentForm(
        request.POST or None,
        initial={"amount": money.deposit_due or money.amount_due or ""},
    )
    if request.method == "POST" and _record(request, form, client=booking.client, booking=booking):
        messages.success(request, "Payment recorded.")
        money = selectors.booking_money(booking)
        form = PaymentForm(initial={"amount": money.amount_due or ""})
    return _booking_money_render(request, booking, money, form)


def booking_money_panel(request: TrainerHttpRequest, booking: Any) -> HttpResponse:
    """The panel as it stands now (after a refund through Stripe, say)."""
    money = selectors.booking_money(booking)
    form = PaymentForm(initial={"amount": money.deposit_due or money.amount_due or ""})
    return _booking_money_render(request, booking, money, form)


def _booking_money_render(
    request: TrainerHttpRequest, booking: Any, money: Any, form: Any
) -> HttpResponse:
    from trainerhub.billing import refunds

    ctx = {
        "online_left": refunds.booking_refundable(booking),
        "booking": booking,
        "money": money,
        "form": form,
        "payments": list(selectors.payments_for_trainer(trainer=request.user, booking=booking)),
        "invoiced": selectors.invoiced_booking_ids(trainer=request.user, booking_ids=[booking.pk]),
    }
    return render(request, "billing/_booking_money.html", ctx)


def _item_target(request: TrainerHttpRequest, value: str) -> dict[str, Any]:
    kind, _, pk = (value or "").partition(":")
    trainer = request.user
    if kind == "b":
        return {"booking": scheduling_selectors.booking_get_for_trainer(trainer=trainer, pk=pk)}
    if kind == "i":
        return {"invoice": selectors.invoice_get_for_trainer(trainer=trainer, pk=pk)}
    if kind == "p":
        cp = package_selectors.client_package_get_for_trainer(trainer=trainer, pk=pk)
        return {"client_package": cp}
    raise InvalidInput({"item": ["Choose what the payment is for."]})


@trainer_required
def client_money(request: TrainerHttpRequest, pk: int) -> HttpResponse:
    """Balance, payments and "record payment" on the client's page (loaded by htmx)."""
    trainer = request.user
    client = client_selectors.client_get_for_trainer(trainer=trainer, pk=pk)
    items = selectors.payable_items(trainer=trainer, client=client, tz_name=trainer.timezone)
    form = ClientPaymentForm(request.POST or None, items=items)
    if request.method == "POST" and form.is_valid():
        try:
            target = _item_target(request, form.cleaned_data["item"])
        except (InvalidInput, Http404):
            form.add_error("item", "Choose what the payment is for.")
        else:
            if _record(request, form, client=client, **target):
                messages.success(request, "Payment recorded.")
                items = selectors.payable_items(
                    trainer=trainer, client=client, tz_name=trainer.timezone
                )
                form = ClientPaymentForm(items=items)
    ctx = {
        "client": client,
        "balances": selectors.client_outstanding(trainer=trainer, client=client),
        "payments": selectors.client_payments(trainer=trainer, client=client),
        "invoices": list(selectors.invoices_for_trainer(trainer=trainer, client=client)[:10]),
        "form": form,
        "items": items,
    }
    return render(request, "billing/_client_money.html", ctx)


@trainer_required
def refund(request: TrainerHttpRequest, pk: int) -> HttpResponse:
    payment = selectors.payment_get_for_trainer(trainer=request.user, pk=pk)
    left = selectors.refundable(payment)
    form = RefundForm(request.POST or None, initial={"amount": left})
    if request.method == "POST" and form.is_valid():
        try:
            services.payment_refund(
                payment=payment,
                amount=form.cleaned_data["amount"],
                note=form.cleaned_data["note"],
                recorded_by=request.user,
            )
        except DomainError as exc:
            domain_errors_to_form(form, exc, refusal_field="amount")
        else:
            messages.success(request, "Refund recorded.")
            return redirect(_back(request, reverse("billing:home")))
    return render(request, "billing/refund.html", {"payment": payment, "left": left, "form": form})


def _back(request: HttpRequest, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    return target if target.startswith("/") and not target.startswith("//") else default


# --- Invoices ---------------------------------------------------------------------------------


@trainer_required
def invoices(request: TrainerHttpRequest) -> HttpResponse:
    status = request.GET.get("status") or None
    rows = selectors.invoices_for_trainer(trainer=request.user, status=status)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    items = [
        {
            "invoice": inv,
            "status": selectors.invoice_status(inv),
            "label": selectors.INVOICE_STATUS_LABELS[selectors.invoice_status(inv)],
            "outstanding": selectors.invoice_outstanding(inv),
        }
        for inv in page.object_list
    ]
    return render(
        request,
        "billing/invoices.html",
        {
            "page": page,
            "items": items,
            "status": status or "",
            "statuses": selectors.INVOICE_STATUS_LABELS,
        },
    )


@trainer_required
def invoice_new(request: TrainerHttpRequest) -> HttpResponse:
    trainer = request.user
    clients = client_selectors.clients_for_trainer(trainer=trainer)
    chosen = None
    raw_client = request.POST.get("client") or request.GET.get("client")
    if raw_client:
        try:
            chosen = client_selectors.client_get_for_trainer(trainer=trainer, pk=raw_client)
        except Http404:
            chosen = None
    form = InvoiceForm(
        request.POST or None,
        clients=clients,
        initial={"client": chosen, "currency": trainer.currency},
    )
    lines = LineFormSet(request.POST or None, prefix="lines")
    sessions = selectors.unbilled_bookings(trainer=trainer, client=chosen) if chosen else []
    if request.method == "POST" and form.is_valid() and lines.is_valid():
        picked = set(request.POST.getlist("bookings"))
        bookings = [b for b in sessions if str(b.pk) in picked]
        free = [line for line in (f.as_line() for f in lines) if line]
        try:
            invoice = services.invoice_create(
                trainer=trainer,
                client=form.cleaned_data["client"],
                lines=free if not bookings else None,
                bookings=bookings or None,
                currency=form.cleaned_data["currency"],
                notes=form.cleaned_data["notes"],
            )
        except DomainError as exc:
            domain_errors_to_form(form, exc)
        else:
            messages.success(request, "Draft invoice saved. Check it, then issue it.")
            return redirect("billing:invoice", invoice.pk)
    return render(
        request,
        "billing/invoice_new.html",
        {"form": form, "lines": lines, "sessions": sessions, "chosen": chosen},
    )


@trainer_required
def invoice_detail(request: TrainerHttpRequest, pk: int) -> HttpResponse:
    invoice = selectors.invoice_get_for_trainer(trainer=request.user, pk=pk)
    ctx = {
        "invoice": invoice,
        "lines": list(invoice.lines.all()),
        "taxes": documents.tax_summary(list(invoice.lines.all())),
        "status": selectors.invoice_status(invoice),
        "status_label": selectors.INVOICE_STATUS_LABELS[selectors.invoice_status(invoice)],
        "outstanding": selectors.invoice_outstanding(invoice),
        "payments": list(selectors.payments_for_trainer(trainer=request.user, invoice=invoice)),
        "form": PaymentForm(initial={"amount": selectors.invoice_outstanding(invoice) or ""}),
    }
    return render(request, "billing/invoice_detail.html", ctx)


@trainer_required
@require_POST
def invoice_action(request: TrainerHttpRequest, pk: int, action: str) -> HttpResponse:
    invoice = selectors.invoice_get_for_trainer(trainer=request.user, pk=pk)
    try:
        if action == "issue":
            invoice = services.invoice_issue(invoice=invoice)
            messages.success(request, f"Invoice {invoice.number} issued.")
        elif action == "void":
            note = services.invoice_void(invoice=invoice)
            messages.success(request, f"Invoice voided by credit note {note.number}.")
            return redirect("billing:invoice", note.pk)
        elif action == "send":
            documents.invoice_send(invoice=invoice)
            messages.success(request, f"Invoice emailed to {invoice.client.email}.")
        elif action == "delete":
            services.invoice_delete(invoice=invoice)
            messages.success(request, "Draft deleted.")
            return redirect("billing:invoices")
        elif action == "pay":
            form = PaymentForm(request.POST)
            if _record(request, form, client=invoice.client, invoice=invoice):
                messages.success(request, "Payment recorded.")
            else:
                for errors in form.errors.values():
                    for error in errors:
                        messages.error(request, str(error))
        else:
            raise Http404
    except DomainError as exc:
        messages.error(request, exc.detail)
    return redirect("billing:invoice", invoice.pk)


@trainer_required
def invoice_pdf(request: TrainerHttpRequest, pk: int) -> HttpResponse:
    invoice = selectors.invoice_get_for_trainer(trainer=request.user, pk=pk)
    return _pdf_response(invoice, inline=request.GET.get("view") == "1")


def _pdf_response(invoice: Any, *, inline: bool = False) -> HttpResponse:
    response = HttpResponse(documents.invoice_pdf(invoice), content_type=documents.PDF)
    disposition = "inline" if inline else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{documents.pdf_filename(invoice)}"'
    return response


@trainer_required
def settings_page(request: TrainerHttpRequest) -> HttpResponse:
    details = selectors.business_details_for(trainer=request.user)
    form = BusinessDetailsForm(request.POST or None, request.FILES or None, instance=details)
    if request.method == "POST" and form.is_valid():
        try:
            services.business_details_update(
                trainer=request.user,
                **{name: form.cleaned_data[name] for name in form.Meta.fields},
            )
        except DomainError as exc:
            domain_errors_to_form(form, exc)
        else:
            messages.success(request, "Invoice details saved.")
            return redirect("billing:settings")
    sample = services.invoice_number(details.number_prefix, timezone.localdate().year, 42)
    return render(request, "billing/settings.html", {"form": form, "sample_number": sample})


# --- The dashboard's revenue card ------------------------------------------------------------

MONTHS = 12


@trainer_required
def dashboard_revenue(request: TrainerHttpRequest) -> HttpResponse:
    """Cash, earned and outstanding of the dashboard's period, by service, by month over 12
    months and the top clients (loaded by htmx into the dashboard)."""
    from trainerhub.billing import revenue
    from trainerhub.core.validation import day_from_text

    trainer, now = request.user, timezone.now()
    today = timezone.localdate()
    try:
        first = day_from_text(request.GET.get("from", "")) if request.GET.get("from") else None
        last = day_from_text(request.GET.get("to", "")) if request.GET.get("to") else None
    except ValidationError:
        first = last = None
    if first is None or last is None or first > last or (last - first).days > 366:
        first, last = today.replace(day=1), today
    period = revenue.revenue(
        trainer=trainer, first_day=first, last_day=last, group="service", now=now
    )
    year_start = (today.replace(day=1) - timedelta(days=31 * (MONTHS - 1))).replace(day=1)
    months = revenue.revenue(
        trainer=trainer,
        first_day=year_start,
        last_day=today,
        group="month",
        now=now,
        with_outstanding=False,
    )
    chart = {
        "labels": [r.label for r in months.rows],
        "cash": [float(r.cash) for r in months.rows],
        "earned": [float(r.earned) for r in months.rows],
        "currency": months.currency,
    }
    return render(
        request,
        "billing/_dashboard_revenue.html",
        {"period": period, "months": months, "chart": chart},
    )


# --- The client's own invoices ----------------------------------------------------------------


@client_required
def my_invoices(request: HttpRequest) -> HttpResponse:
    rows = list(selectors.invoices_for_account(user=request.user)[:200])
    items = [
        {
            "invoice": inv,
            "label": selectors.INVOICE_STATUS_LABELS[selectors.invoice_status(inv)],
            "status": selectors.invoice_status(inv),
            "outstanding": selectors.invoice_outstanding(inv),
        }
        for inv in rows
    ]
    return render(request, "billing/my_invoices.html", {"items": items})


@client_required
def my_invoice_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    invoice = selectors.invoice_for_account(user=request.user, pk=pk)
    return _pdf_response(invoice)
