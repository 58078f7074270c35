"""Price pages: a service's add-ons (inline on its form, htmx), the discount codes, and the
live price of the trainer's booking form."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from trainerhub.accounts.decorators import trainer_required
from trainerhub.accounts.models import User
from trainerhub.accounts.requests import TrainerHttpRequest
from trainerhub.core.errors import InvalidInput
from trainerhub.core.forms import domain_errors_to_form
from trainerhub.core.timezones import zone
from trainerhub.scheduling import package_choices, pricing, selectors, services
from trainerhub.scheduling.forms_pricing import AddonForm, DiscountForm
from trainerhub.scheduling.models import DiscountCode, Service, ServiceAddon
from trainerhub.scheduling.purchase import Purchase

# --- Add-ons (inline on the service's form) --------------------------------------------------


def _addons_panel(
    request: TrainerHttpRequest, service: Service, form: AddonForm | None = None, status: int = 200
) -> HttpResponse:
    ctx = {
        "service": service,
        "addons": list(selectors.addons_of_service(service=service)),
        "addon_form": form or AddonForm(),
    }
    return render(request, "scheduling/_addons.html", ctx, status=status)


@trainer_required
@require_POST
def addon_add(request: TrainerHttpRequest, pk: int) -> HttpResponse:
    service = selectors.get_owned(Service, trainer=request.user, pk=pk)
    form = AddonForm(request.POST)
    if form.is_valid():
        try:
            services.addon_create(service=service, **form.cleaned_data)
        except InvalidInput as exc:
            domain_errors_to_form(form, exc)
        else:
            return _addons_panel(request, service)
    # htmx swaps 2xx answers only: the form with its messages comes back as 200 to htmx.
    return _addons_panel(request, service, form, status=200 if request.htmx else 400)


@trainer_required
@require_POST
def addon_toggle(request: TrainerHttpRequest, pk: int) -> HttpResponse:
    addon = selectors.get_owned(ServiceAddon, trainer=request.user, pk=pk)
    services.addon_update(addon=addon, is_active=not addon.is_active)
    return _addons_panel(request, addon.service)


@trainer_required
@require_POST
def addon_remove(request: TrainerHttpRequest, pk: int) -> HttpResponse:
    addon = selectors.get_owned(ServiceAddon, trainer=request.user, pk=pk)
    service = addon.service
    services.addon_delete(addon=addon)
    return _addons_panel(request, service)


# --- Discount codes --------------------------------------------------------------------------


def _discount_fields(form: DiscountForm) -> dict[str, Any]:
    return {name: form.cleaned_data[name] for name in DiscountForm.Meta.fields}


@trainer_required
def discount_list(request: TrainerHttpRequest) -> HttpResponse:
    trainer = request.user
    form = DiscountForm(request.POST or None, trainer=trainer)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.discount_create(
                trainer=trainer, services=form.cleaned_data["services"], **_discount_fields(form)
            )
        except InvalidInput as exc:
            domain_errors_to_form(form, exc)
        else:
            messages.success(request, f"Code “{saved.code}” added.")
            return redirect("scheduling:discounts")
    ctx = {
        "discounts": list(selectors.discounts_for_trainer(trainer=trainer)),
        "form": form,
        "settings_tab": "discounts",
    }
    return render(request, "scheduling/discounts.html", ctx, status=400 if form.errors else 200)


@trainer_required
def discount_edit(request: TrainerHttpRequest, pk: int) -> HttpResponse:
    trainer = request.user
    discount = selectors.get_owned(DiscountCode, trainer=trainer, pk=pk)
    form = DiscountForm(request.POST or None, instance=discount, trainer=trainer)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.discount_update(
                discount=selectors.get_owned(DiscountCode, trainer=trainer, pk=pk),
                services=form.cleaned_data["services"],
                **_discount_fields(form),
            )
        except InvalidInput as exc:
            domain_errors_to_form(form, exc)
        else:
            messages.success(request, f"Code “{saved.code}” saved.")
            return redirect("scheduling:discounts")
    ctx = {"discount": discount, "form": form, "settings_tab": "discounts"}
    return render(request, "scheduling/discount_form.html", ctx, status=400 if form.errors else 200)


@trainer_required
@require_POST
def discount_deactivate(request: TrainerHttpRequest, pk: int) -> HttpResponse:
    discount = selectors.get_owned(DiscountCode, trainer=request.user, pk=pk)
    services.discount_deactivate(discount=discount)
    messages.success(request, f"“{discount.code}” is no longer accepted.")
    return redirect("scheduling:discounts")


@trainer_required
@require_POST
def discount_activate(request: TrainerHttpRequest, pk: int) -> HttpResponse:
    discount = selectors.get_owned(DiscountCode, trainer=request.user, pk=pk)
    services.discount_update(discount=discount, is_active=True)
    messages.success(request, f"“{discount.code}” is accepted again.")
    return redirect("scheduling:discounts")


# --- The live price of the booking form ------------------------------------------------------


def addon_ids_of(values: list[str]) -> list[int]:
    return [int(v) for v in values if v.isdigit() and len(v) < 19]


@trainer_required
@require_GET
def booking_price(request: TrainerHttpRequest) -> HttpResponse:
    """The add-ons of the chosen service and the total as the form stands (htmx)."""
    trainer = request.user
    service = selectors.active_service_or_none(trainer=trainer, pk=request.GET.get("service"))
    ctx: dict[str, Any] = {"service": service, "code": request.GET.get("discount_code", "")[:40]}
    if service is not None:
        client = request.GET.get("client", "")
        ctx["preview"] = pricing.preview(
            trainer=trainer,
            service=service,
            addon_ids=addon_ids_of(request.GET.getlist("addons")),
            code=ctx["code"],
            today=timezone.now().astimezone(zone(trainer.timezone)).date(),
            client_id=int(client) if client.isdigit() and len(client) < 19 else None,
        )
        client_id = int(client) if client.isdigit() and len(client) < 19 else None
        chosen = request.GET.get("client_package", "")
        ctx["packages"] = package_choices.choices_for_ids(trainer, client_id, service)
        ctx["chosen_package"] = int(chosen) if chosen.isdigit() and len(chosen) < 19 else None
    return render(request, "scheduling/_booking_price.html", ctx)


def form_purchase(data: dict[str, Any]) -> Purchase:
    """The money choices of a validated trainer's booking form."""
    return Purchase(
        addons=tuple(data.get("addons") or ()),
        discount_code=data.get("discount_code") or "",
        client_package=data.get("client_package"),
    )


PACKAGE_REFUSALS = frozenset({"no_credits", "package_expired", "package_not_valid"})


def refusal_field_of(exc: Any) -> str:
    """Where the booking form shows a refusal: a package's under the package, others under
    the start."""
    return "client_package" if getattr(exc, "code", "") in PACKAGE_REFUSALS else "start"


def price_context(trainer: User, form: forms.Form) -> dict[str, Any]:
    """What the booking form's price block shows as the form stands (its refusals too)."""
    raw_service = form["service"].value()
    service = selectors.active_service_or_none(trainer=trainer, pk=raw_service)
    code = str(form["discount_code"].value() or "")[:40]
    ctx: dict[str, Any] = {"service": service, "code": code}
    if service is None:
        return ctx
    raw_client = str(form["client"].value() or "")
    chosen = form["addons"].value() or []
    preview = pricing.preview(
        trainer=trainer,
        service=service,
        addon_ids=addon_ids_of([str(v) for v in chosen]),
        code=code,
        today=timezone.now().astimezone(zone(trainer.timezone)).date(),
        client_id=int(raw_client) if raw_client.isdigit() and len(raw_client) < 19 else None,
    )
    for name in ("addons", "discount_code"):
        if form.errors.get(name) and name not in preview.errors:
            preview.errors[name] = str(form.errors[name][0])
    ctx["preview"] = preview
    ctx.update(_package_context(trainer, form, raw_client, service))
    return ctx


def _package_context(trainer: User, form: forms.Form, raw_client: str, service: Any) -> dict:
    """The client's packages that can pay for the service (package_choices), the one chosen
    and a refusal of it (no credits left, expired...)."""
    client_id = int(raw_client) if raw_client.isdigit() and len(raw_client) < 19 else None
    raw = str(form["client_package"].value() or "")
    return {
        "packages": package_choices.choices_for_ids(trainer, client_id, service),
        "chosen_package": int(raw) if raw.isdigit() and len(raw) < 19 else None,
        "package_error": (form.errors.get("client_package") or [""])[0],
    }
