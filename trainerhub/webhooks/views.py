"""Settings pages of outgoing webhooks: endpoints, their delivery log, the test button."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from trainerhub.accounts.decorators import trainer_required
from trainerhub.accounts.requests import TrainerHttpRequest
from trainerhub.core.errors import InvalidInput
from trainerhub.core.forms import domain_errors_to_form
from trainerhub.webhooks import delivery, selectors, services
from trainerhub.webhooks.forms import EndpointForm
from trainerhub.webhooks.models import Endpoint
from trainerhub.webhooks.signing import HEADER

LOG_PAGE = 25


@trainer_required
def endpoint_list(request: TrainerHttpRequest) -> HttpResponse:
    form = EndpointForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            row = services.endpoint_create(trainer=request.user, **form.cleaned_data)
        except InvalidInput as exc:
            domain_errors_to_form(form, exc)
        else:
            messages.success(request, "Endpoint added. Copy its signing secret now.")
            return _detail(request, row, secret=row.secret)
    context = {
        "form": form,
        "items": selectors.endpoints_for_trainer(trainer=request.user),
        "settings_tab": "webhooks",
        "header": HEADER,
    }
    return render(request, "webhooks/list.html", context, status=400 if form.errors else 200)


def _detail(
    request: TrainerHttpRequest,
    row: Endpoint,
    *,
    form: EndpointForm | None = None,
    secret: str = "",
) -> HttpResponse:
    initial = {"url": row.url, "description": row.description, "events": row.events}
    log = Paginator(services.deliveries_for(row), LOG_PAGE).get_page(request.GET.get("page"))
    context: dict[str, Any] = {
        "item": row,
        "form": form or EndpointForm(initial=initial),
        "log": log,
        "secret": secret,
        "settings_tab": "webhooks",
        "header": HEADER,
    }
    return render(request, "webhooks/detail.html", context, status=400 if form else 200)


@trainer_required
def endpoint_detail(request: TrainerHttpRequest, pk: int) -> HttpResponse:
    row = selectors.endpoint_get_for_trainer(trainer=request.user, pk=pk)
    if request.method != "POST":
        return _detail(request, row)
    form = EndpointForm(request.POST)
    if form.is_valid():
        try:
            services.endpoint_update(endpoint=row, **form.cleaned_data)
        except InvalidInput as exc:
            domain_errors_to_form(form, exc)
        else:
            messages.success(request, "Endpoint saved.")
            return redirect("webhooks:detail", pk=row.pk)
    row.refresh_from_db()
    return _detail(request, row, form=form)


@trainer_required
@require_POST
def endpoint_test(request: TrainerHttpRequest, pk: int) -> HttpResponse:
    row = selectors.endpoint_get_for_trainer(trainer=request.user, pk=pk)
    sent = delivery.send_now(services.test_event_write(endpoint=row))
    if sent.status == sent.Status.DELIVERED:
        messages.success(request, f"Test event delivered (HTTP {sent.last_status_code}).")
    else:
        last = sent.responses[-1] if sent.responses else {}
        why = f"HTTP {last.get('status_code')}" if last.get("status_code") else last.get("error")
        messages.error(request, f"Test event not delivered: {why}. It will be retried.")
    return redirect("webhooks:detail", pk=row.pk)


@trainer_required
@require_POST
def endpoint_toggle(request: TrainerHttpRequest, pk: int) -> HttpResponse:
    row = selectors.endpoint_get_for_trainer(trainer=request.user, pk=pk)
    row = services.endpoint_update(endpoint=row, enabled=not row.enabled)
    messages.success(request, "Endpoint turned on." if row.enabled else "Endpoint turned off.")
    return redirect("webhooks:detail", pk=row.pk)


@trainer_required
@require_POST
def endpoint_rotate(request: TrainerHttpRequest, pk: int) -> HttpResponse:
    row = selectors.endpoint_get_for_trainer(trainer=request.user, pk=pk)
    row = services.endpoint_rotate_secret(endpoint=row)
    messages.success(request, "New signing secret made; the old one no longer signs.")
    return _detail(request, row, secret=row.secret)


@trainer_required
@require_POST
def endpoint_delete(request: TrainerHttpRequest, pk: int) -> HttpResponse:
    row = selectors.endpoint_get_for_trainer(trainer=request.user, pk=pk)
    services.endpoint_delete(endpoint=row)
    messages.success(request, "Endpoint removed.")
    return redirect("webhooks:list")
