"""Pages of online payments: Settings -> Payments (the trainer's Stripe keys, shown masked,
and the refund policy) and the booking panel's "Refund through Stripe"."""

from __future__ import annotations

import contextlib

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from trainerhub.accounts.decorators import client_required, trainer_required
from trainerhub.accounts.requests import TrainerHttpRequest
from trainerhub.billing import online, refunds
from trainerhub.billing.models import RefundRequest
from trainerhub.core.errors import DomainError
from trainerhub.core.forms import domain_errors_to_form
from trainerhub.scheduling import selectors as scheduling_selectors


class PaymentSettingsForm(forms.Form):
    secret_key = forms.CharField(
        label="Secret key",
        required=False,
        max_length=255,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}),
        help_text="From Stripe's Dashboard → Developers → API keys (sk_test_… or sk_live_…). "
        "Leave empty to keep the saved key.",
    )
    webhook_secret = forms.CharField(
        label="Webhook signing secret",
        required=False,
        max_length=255,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}),
        help_text="whsec_… of the webhook endpoint you add in Stripe for the address below.",
    )
    hold_minutes = forms.IntegerField(
        label="Hold a booking while the client pays (minutes)", min_value=30, max_value=1440
    )
    late_refund_percent = forms.IntegerField(
        label="Refund of a late cancellation (%)",
        min_value=0,
        max_value=100,
        help_text="Cancelled in time (outside your cancellation window), everything is refunded.",
    )
    deposit_refundable = forms.BooleanField(
        label="Deposits are refunded when cancelled in time", required=False
    )
    remove_keys = forms.BooleanField(
        label="Remove my keys (stop taking payments online)", required=False
    )


@trainer_required
def payments_settings(request: TrainerHttpRequest) -> HttpResponse:
    current = online.settings_read(request.user)
    initial = {
        "hold_minutes": current.hold_minutes,
        "late_refund_percent": current.late_refund_percent,
        "deposit_refundable": current.deposit_refundable,
    }
    form = PaymentSettingsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            online.settings_update(trainer=request.user, **form.cleaned_data)
        except DomainError as exc:
            domain_errors_to_form(form, exc)
        else:
            messages.success(request, "Payment settings saved.")
            return redirect("billing:payments_settings")
    webhook_url = request.build_absolute_uri(f"/api/v1/webhooks/stripe/{request.user.slug}")
    ctx = {"form": form, "current": current, "webhook_url": webhook_url}
    return render(request, "billing/payments_settings.html", ctx)


@trainer_required
@require_POST
def booking_refund(request: TrainerHttpRequest, pk: int) -> HttpResponse:
    """Refund (all or part of) what a booking was paid online, through Stripe."""
    from trainerhub.billing.views import booking_money_panel

    booking = scheduling_selectors.booking_get_for_trainer(trainer=request.user, pk=pk)
    try:
        made = refunds.refund_booking(booking=booking, amount=request.POST.get("amount") or None)
    except DomainError as exc:
        errors = getattr(exc, "errors", {}) or {}
        text = getattr(exc, "detail", "") or " ".join(m for ms in errors.values() for m in ms)
        messages.error(request, text)
    else:
        sent = [refunds.refund_send(request_id=r.pk) for r in made]
        if all(r.state == RefundRequest.State.DONE for r in sent):
            messages.success(request, "Refunded through Stripe.")
        else:
            messages.info(request, "Stripe is not answering right now; the refund will be retried.")
    return booking_money_panel(request, booking)


# --- Packages bought online by a signed-in client -------------------------------------------


@client_required
def my_packages(request: HttpRequest) -> HttpResponse:
    """The packages a client can buy online from each trainer they book with (those who
    take payments online), and the outcome when they come back from Stripe's checkout."""
    from trainerhub.billing import packages_online

    clients = {c.trainer_id: c for c in packages_online.account_clients(request.user)}
    if request.method == "POST":
        package = packages_online.package_on_sale(
            pk=_int(request.POST.get("package")) or 0, trainer_ids=list(clients)
        )
        if package is None:
            raise Http404
        try:
            pending = packages_online.package_checkout_open(
                package=package, client=clients[package.trainer_id]
            )
            back = request.build_absolute_uri(
                reverse("billing:my_packages") + f"?paid={pending.pk}"
            )
            pending = online.checkout_start(online=pending, success_url=back, cancel_url=back)
        except DomainError as exc:
            messages.error(request, getattr(exc, "detail", "") or "Online payment failed.")
            return redirect("billing:my_packages")
        return redirect(pending.checkout_url)
    paid = _int(request.GET.get("paid"))
    if paid:
        _settle_return(request, paid)
    offers = [
        {
            "trainer": c.trainer,
            "packages": packages_online.packages_on_sale(tid),
        }
        for tid, c in clients.items()
        if online.payments_offered(tid)
    ]
    return render(request, "billing/my_packages.html", {"offers": offers})


def _int(raw: object) -> int | None:
    text = str(raw or "")
    return int(text) if text.isdigit() and len(text) < 12 else None


def _settle_return(request: HttpRequest, pk: int) -> None:
    from trainerhub.billing import packages_online
    from trainerhub.billing.models import OnlinePayment
    from trainerhub.billing.stripe_gateway import GatewayError

    pending = packages_online.online_of_account(pk=pk, user=request.user)
    if pending is None:
        return
    if pending.state == OnlinePayment.State.OPEN:
        with contextlib.suppress(GatewayError):  # then the webhook or the worker settles it
            pending = online.settle_from_stripe(online=pending)
    if pending.state == OnlinePayment.State.PAID:
        messages.success(request, "Thank you: your package is ready, its sessions are yours.")
    else:
        messages.info(request, "Your payment has not arrived yet; nothing was charged twice.")
