"""Settings pages of the trainer's own calendars (ICS subscriptions)."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from trainerhub.accounts.decorators import trainer_required
from trainerhub.accounts.requests import TrainerHttpRequest
from trainerhub.calendars import selectors, services
from trainerhub.calendars.fetching import masked
from trainerhub.calendars.forms import CalendarEditForm, CalendarForm
from trainerhub.core.errors import InvalidInput
from trainerhub.core.forms import domain_errors_to_form


@trainer_required
def calendar_list(request: TrainerHttpRequest) -> HttpResponse:
    trainer = request.user
    form = CalendarForm(request.POST or None, initial={"is_active": True})
    if request.method == "POST" and form.is_valid():
        try:
            row = services.subscription_create(trainer=trainer, **form.cleaned_data)
        except InvalidInput as exc:
            domain_errors_to_form(form, exc)
        else:
            # Read it at once, so the trainer sees straight away whether the address works.
            if services.subscription_refresh(subscription=row):
                messages.success(
                    request, f"Connected {row.name}: its busy times now block bookings."
                )
            else:
                messages.error(
                    request, f"Added {row.name}, but it could not be read: {row.last_error}"
                )
            return redirect("calendars:list")
    return render(
        request,
        "calendars/list.html",
        {
            "form": form,
            "items": _rows(trainer),
            "fetch_minutes": settings.CALENDAR_FETCH_MINUTES,
            "settings_tab": "calendars",
        },
        status=400 if form.errors else 200,
    )


@trainer_required
def calendar_edit(request: TrainerHttpRequest, pk: int) -> HttpResponse:
    row = selectors.subscription_get_for_trainer(trainer=request.user, pk=pk)
    initial = {"name": row.name, "color": row.color, "is_active": row.is_active}
    form = CalendarEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        changes = dict(form.cleaned_data)
        if not changes["url"]:
            del changes["url"]
        try:
            services.subscription_update(subscription=row, **changes)
        except InvalidInput as exc:
            domain_errors_to_form(form, exc)
        else:
            messages.success(request, f"Saved {row.name}.")
            return redirect("calendars:list")
    return render(
        request,
        "calendars/edit.html",
        {"form": form, "item": row, "url_masked": masked(row.url), "settings_tab": "calendars"},
        status=400 if form.errors else 200,
    )


@trainer_required
@require_POST
def calendar_refresh(request: TrainerHttpRequest, pk: int) -> HttpResponse:
    row = selectors.subscription_get_for_trainer(trainer=request.user, pk=pk)
    if services.subscription_refresh(subscription=row):
        messages.success(request, f"Read {row.name} again: {row.busy_count} busy times ahead.")
    else:
        messages.error(request, f"{row.name} could not be read: {row.last_error}")
    return redirect("calendars:list")


@trainer_required
@require_POST
def calendar_delete(request: TrainerHttpRequest, pk: int) -> HttpResponse:
    row = selectors.subscription_get_for_trainer(trainer=request.user, pk=pk)
    services.subscription_delete(subscription=row)
    messages.success(request, f"Removed {row.name}: its times no longer block bookings.")
    return redirect("calendars:list")


def _rows(trainer: object) -> list[dict[str, object]]:
    return [
        {"item": row, "url_masked": masked(row.url)}
        for row in selectors.subscriptions_for_trainer(trainer=trainer)  # type: ignore[arg-type]
    ]
