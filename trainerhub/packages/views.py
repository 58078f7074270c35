"""The trainer's package pages: the catalogue and credit policy, selling, a client package
with its ledger, adjusting and refunding, and the card on the client page."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.views.decorators.http import require_POST

from trainerhub.accounts.decorators import trainer_required
from trainerhub.accounts.requests import TrainerHttpRequest
from trainerhub.clients.models import Client
from trainerhub.core.errors import DomainError
from trainerhub.core.forms import domain_errors_to_form
from trainerhub.packages import selectors, services
from trainerhub.packages.forms import AdjustForm, PackageForm, PackageSettingsForm, SellForm
from trainerhub.packages.models import Package


def _package_form(request: TrainerHttpRequest, **kwargs: Any) -> PackageForm:
    return PackageForm(
        request.POST or None,
        service_choices=selectors.service_choices(trainer=request.user),
        **kwargs,
    )


@trainer_required
def home(request: TrainerHttpRequest) -> HttpResponse:
    trainer = request.user
    form = _package_form(request, initial={"currency": trainer.currency, "sessions_count": 10})
    if request.method == "POST" and form.is_valid():
        try:
            package = services.package_create(trainer=trainer, **form.cleaned_data)
        except DomainError as exc:
            domain_errors_to_form(form, exc)
        else:
            messages.success(request, f"Added {package.name} to your packages.")
            return redirect("packages:home")
    policy = services.package_settings_for(trainer)
    context = {
        "form": form,
        "packages": list(selectors.packages_for_trainer(trainer=trainer)),
        "recent": list(selectors.client_packages_for_trainer(trainer=trainer)[:20]),
        "settings_form": PackageSettingsForm(
            initial={
                "late_cancel_forfeits": policy.late_cancel_forfeits,
                "no_show_forfeits": policy.no_show_forfeits,
            }
        ),
    }
    return render(request, "packages/home.html", context, status=400 if form.errors else 200)


@trainer_required
@require_POST
def policy(request: TrainerHttpRequest) -> HttpResponse:
    form = PackageSettingsForm(request.POST)
    form.is_valid()  # two check boxes: always valid
    services.package_settings_update(trainer=request.user, **form.cleaned_data)
    messages.success(request, "Saved your credit policy.")
    return redirect("packages:home")


@trainer_required
def edit(request: TrainerHttpRequest, pk: int) -> HttpResponse:
    package = selectors.package_get_for_trainer(trainer=request.user, pk=pk)
    initial = {
        "name": package.name,
        "description": package.description,
        "sessions_count": package.sessions_count,
        "price": package.price,
        "currency": package.currency,
        "valid_days": package.valid_days,
        "services": [s.pk for s in package.services.all()],
    }
    form = _package_form(request, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.package_update(package=package, **form.cleaned_data)
        except DomainError as exc:
            domain_errors_to_form(form, exc)
        else:
            messages.success(
                request, f"Saved {package.name}. Packages already sold keep what they were sold as."
            )
            return redirect("packages:home")
    return render(
        request,
        "packages/edit.html",
        {"form": form, "package": package},
        status=400 if form.errors else 200,
    )


@trainer_required
@require_POST
def toggle(request: TrainerHttpRequest, pk: int) -> HttpResponse:
    package: Package = selectors.package_get_for_trainer(trainer=request.user, pk=pk)
    if package.is_active:
        services.package_deactivate(package=package)
        messages.success(request, f"{package.name} is no longer on sale; sold credits stay.")
    else:
        services.package_update(package=package, is_active=True)
        messages.success(request, f"{package.name} is on sale again.")
    return redirect("packages:home")


@trainer_required
def sell(request: TrainerHttpRequest) -> HttpResponse:
    trainer = request.user
    package_choices = selectors.sellable_choices(trainer=trainer)
    form = SellForm(
        request.POST or None,
        initial={
            "package": request.GET.get("package"),
            "client": request.GET.get("client"),
            "record_payment": True,
            "method": "cash",
        },
        package_choices=package_choices,
        client_choices=selectors.client_choices(trainer=trainer),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            package = selectors.package_get_for_trainer(trainer=trainer, pk=data["package"])
            client: Client = _client(trainer, data["client"])
            sold = services.package_sell(
                trainer=trainer, package=package, client=client, payment=form.payment()
            )
        except DomainError as exc:
            domain_errors_to_form(form, exc)
        else:
            paid = " and recorded the payment" if form.payment() else ""
            messages.success(request, f"Sold {sold.name} to {client.full_name}{paid}.")
            return redirect("clients:detail", pk=client.pk)
    context = {"form": form, "has_packages": bool(package_choices)}
    return render(request, "packages/sell.html", context, status=400 if form.errors else 200)


def _client(trainer: Any, pk: Any) -> Client:
    from trainerhub.clients.selectors import client_get_for_trainer

    return client_get_for_trainer(trainer=trainer, pk=pk)


@trainer_required
def client_package(request: TrainerHttpRequest, pk: int) -> HttpResponse:
    row = selectors.client_package_get_for_trainer(trainer=request.user, pk=pk)
    form = AdjustForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.client_package_adjust(client_package=row, **form.cleaned_data)
        except DomainError as exc:
            domain_errors_to_form(form, exc)
        else:
            messages.success(request, "Adjusted the credits; the ledger keeps your reason.")
            return redirect("packages:client_package", pk=row.pk)
    context = {
        "cp": row,
        "entries": selectors.ledger_with_bookings(row),
        "form": form,
    }
    return render(
        request, "packages/client_package.html", context, status=400 if form.errors else 200
    )


@trainer_required
@require_POST
def refund(request: TrainerHttpRequest, pk: int) -> HttpResponse:
    row = selectors.client_package_get_for_trainer(trainer=request.user, pk=pk)
    services.client_package_refund(client_package=row, reason="Refunded")
    messages.success(
        request, f"{row.name} is refunded: its free credits are gone. Record the money in Money."
    )
    return redirect("packages:client_package", pk=row.pk)


def client_section(request: HttpRequest, client: Client) -> str:
    """The card on the client page (clients.sections)."""
    rows = selectors.client_packages_with_ledger(trainer=client.trainer_id, client=client)
    return render_to_string(
        "packages/_client_section.html", {"client": client, "items": rows}, request=request
    )
