"""Settings pages of the trainer's own calendars (ICS subscriptions and CalDAV calendars)."""

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
from trainerhub.calendars.forms import CalDavEditForm, CalDavForm, CalendarEditForm, CalendarForm
from trainerhub.calendars.models import CalendarSubscription
from trainerhub.core.crypto import mask
from trainerhub.core.errors import InvalidInput
from trainerhub.core.forms import domain_errors_to_form

_KEPT_IF_EMPTY = ("url", "password")


@trainer_required
def calendar_list(request: TrainerHttpRequest) -> HttpResponse:
    trainer = request.user
    # Two forms on the page, one per kind of source; the CalDAV one says so in a hidden
    # field and has a prefix of its own (its field ids stay unique on the page).
    caldav_posted = request.POST.get("kind") == CalendarSubscription.Kind.CALDAV
    initial = {"is_active": True}
    form = CalendarForm(None if caldav_posted else request.POST or None, initial=initial)
    caldav_form = CalDavForm(
        request.POST if caldav_posted else None, initial=initial, prefix="caldav"
    )
    posted = caldav_form if caldav_posted else form
    if request.method == "POST" and posted.is_valid():
        kind = CalendarSubscription.Kind.CALDAV if caldav_posted else CalendarSubscription.Kind.ICS
        try:
            row = services.subscription_create(trainer=trainer, kind=kind, **posted.cleaned_data)
        except InvalidInput as exc:
            domain_errors_to_form(posted, exc)
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
            "caldav_form": caldav_form,
            "items": _rows(trainer),
            "fetch_minutes": settings.CALENDAR_FETCH_MINUTES,
            "settings_tab": "calendars",
        },
        status=400 if posted.errors else 200,
    )


@trainer_required
def calendar_edit(request: TrainerHttpRequest, pk: int) -> HttpResponse:
    row = selectors.subscription_get_for_trainer(trainer=request.user, pk=pk)
    initial = {"name": row.name, "color": row.color, "is_active": row.is_active}
    form: CalendarForm
    if row.kind == CalendarSubscription.Kind.CALDAV:
        form = CalDavEditForm(request.POST or None, initial={**initial, "username": row.username})
    else:
        form = CalendarEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        # An empty secret field keeps what is stored (it is never shown back).
        changes = {k: v for k, v in form.cleaned_data.items() if v or k not in _KEPT_IF_EMPTY}
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
        {
            "form": form,
            "item": row,
            "url_masked": masked(row.url),
            "password_masked": mask(row.password),
            "settings_tab": "calendars",
        },
        status=400 if form.errors else 200,
    )


@trainer_required
@require_POST
def calendar_refresh(request: TrainerHttpRequest, pk: int) -> HttpResponse:
    row = selectors.subscription_get_for_trainer(trainer=request.user, pk=pk)
    if services.subscription_refresh(subscription=row):
        times = "busy time" if row.busy_count == 1 else "busy times"
        messages.success(request, f"Read {row.name} again: {row.busy_count} {times} ahead.")
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
