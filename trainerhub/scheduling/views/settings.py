"""Scheduling settings pages: weekly hours, date overrides, time off and services."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from trainerhub.accounts.decorators import trainer_required
from trainerhub.accounts.models import User
from trainerhub.accounts.requests import TrainerHttpRequest
from trainerhub.core.errors import Conflict, InvalidInput
from trainerhub.core.forms import domain_errors_to_form
from trainerhub.scheduling import selectors, services
from trainerhub.scheduling.forms import (
    SERVICE_FIELDS,
    WEEKDAYS,
    OverrideForm,
    ServiceForm,
    TimeOffForm,
    WeeklyIntervalForm,
    local_datetime,
)
from trainerhub.scheduling.forms_pricing import AddonForm
from trainerhub.scheduling.models import (
    Booking,
    DateOverride,
    Service,
    TimeOff,
    WeeklyInterval,
)

# --- Weekly hours ----------------------------------------------------------------------------


def _day_context(trainer: User, weekday: int, form: WeeklyIntervalForm | None = None) -> dict:
    intervals = selectors.weekly_intervals(trainer=trainer, weekday=weekday)
    return {
        "weekday": weekday,
        "day_name": dict(WEEKDAYS)[weekday],
        "intervals": list(intervals),
        "form": form or WeeklyIntervalForm(trainer=trainer, initial={"weekday": weekday}),
    }


@trainer_required
def hours(request: TrainerHttpRequest) -> HttpResponse:
    trainer = request.user
    by_day: dict[int, list[WeeklyInterval]] = defaultdict(list)
    for interval in selectors.weekly_intervals(trainer=trainer):
        by_day[interval.weekday].append(interval)
    service_choices = list(selectors.services_for_trainer(trainer=trainer, active_only=True))
    days = []
    for weekday, name in WEEKDAYS:
        form = WeeklyIntervalForm(trainer=trainer, initial={"weekday": weekday})
        # One query of services for the seven forms, not one per form.
        form.fields["service"].widget.choices = [("", "Any service")] + [
            (s.pk, s.name) for s in service_choices
        ]
        days.append(
            {"weekday": weekday, "day_name": name, "intervals": by_day[weekday], "form": form}
        )
    return render(request, "scheduling/hours.html", {"days": days, "settings_tab": "hours"})


@trainer_required
@require_POST
def hours_add(request: TrainerHttpRequest) -> HttpResponse:
    trainer = request.user
    form = WeeklyIntervalForm(request.POST, trainer=trainer)
    if form.is_valid():
        try:
            services.weekly_interval_create(
                trainer=trainer,
                weekday=form.cleaned_data["weekday"],
                start=form.cleaned_data["start"],
                end=form.cleaned_data["end"],
                service=form.cleaned_data["service"],
            )
        except InvalidInput as exc:
            domain_errors_to_form(form, exc)
    weekday = form.cleaned_data.get("weekday") if hasattr(form, "cleaned_data") else None
    if weekday is None:
        weekday = (
            int(request.POST.get("weekday", 0)) if request.POST.get("weekday", "").isdigit() else 0
        )
        weekday = min(max(weekday, 0), 6)
    ok = not form.errors
    if request.htmx:
        ctx = _day_context(trainer, weekday, None if ok else form)
        ctx["added"] = ok
        return render(request, "scheduling/hours.html#day", ctx)
    if ok:
        messages.success(request, f"Added hours on {dict(WEEKDAYS)[weekday]}.")
    else:
        messages.error(request, " ".join(str(e) for errs in form.errors.values() for e in errs))
    return redirect("scheduling:hours")


@trainer_required
@require_POST
def hours_delete(request: TrainerHttpRequest, pk: int) -> HttpResponse:
    trainer = request.user
    interval = selectors.get_owned(WeeklyInterval, trainer=trainer, pk=pk)
    weekday = interval.weekday
    services.weekly_interval_delete(interval=interval)
    if request.htmx:
        return render(request, "scheduling/hours.html#day", _day_context(trainer, weekday))
    messages.success(request, "Hours removed.")
    return redirect("scheduling:hours")


# --- Date overrides ----------------------------------------------------------------------------


@trainer_required
def overrides(request: TrainerHttpRequest) -> HttpResponse:
    trainer = request.user
    form = OverrideForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.date_override_set(
                trainer=trainer,
                date=data["date"],
                closed=data["closed"],
                intervals=[] if data["closed"] else data["intervals"],
                note=data["note"],
            )
        except InvalidInput as exc:
            domain_errors_to_form(form, exc)
        else:
            messages.success(request, f"Saved the hours of {data['date']:%A %-d %B %Y}.")
            return redirect("scheduling:overrides")
    items = selectors.date_overrides_for_trainer(trainer=trainer)
    return render(
        request,
        "scheduling/overrides.html",
        {"form": form, "overrides": items, "settings_tab": "overrides"},
        status=400 if form.errors else 200,
    )


@trainer_required
@require_POST
def override_delete(request: TrainerHttpRequest, pk: int) -> HttpResponse:
    override = selectors.get_owned(DateOverride, trainer=request.user, pk=pk)
    services.date_override_delete(override=override)
    messages.success(request, f"{override.date:%A %-d %B %Y} follows your weekly hours again.")
    return redirect("scheduling:overrides")


# --- Time off ---------------------------------------------------------------------------------


@trainer_required
def time_off(request: TrainerHttpRequest) -> HttpResponse:
    trainer = request.user
    form = TimeOffForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        # The inputs are wall-clock times of the trainer's zone.
        start = local_datetime(data["start"].date(), data["start"].time(), trainer.timezone)
        end = local_datetime(data["end"].date(), data["end"].time(), trainer.timezone)
        # Sessions already booked then: list them and let the trainer keep or cancel them.
        choice = request.POST.get("overlapping", "")
        overlaps = services.time_off_overlaps(trainer=trainer, start=start, end=end)
        if overlaps and choice not in ("keep", "cancel"):
            return _time_off_page(request, form, overlaps=overlaps, status=409)
        try:
            services.time_off_create(
                trainer=trainer,
                start=start,
                end=end,
                reason=data["reason"],
                cancel_overlapping=choice == "cancel",
            )
        except InvalidInput as exc:
            domain_errors_to_form(form, exc)
        else:
            text = "Time off added: nobody can book you then."
            if overlaps:
                n = len(overlaps)
                done = "cancelled" if choice == "cancel" else "kept"
                text += f" {n} booked session{'s' if n != 1 else ''} {done}."
            messages.success(request, text)
            return redirect("scheduling:time_off")
    return _time_off_page(request, form, status=400 if form.errors else 200)


def _time_off_page(
    request: TrainerHttpRequest, form: TimeOffForm, *, overlaps: Sequence[Booking] = (), status: int
) -> HttpResponse:
    items = selectors.time_off_for_trainer(trainer=request.user)
    context = {"form": form, "items": items, "settings_tab": "time_off", "overlaps": overlaps}
    return render(request, "scheduling/time_off.html", context, status=status)


@trainer_required
@require_POST
def time_off_delete(request: TrainerHttpRequest, pk: int) -> HttpResponse:
    item = selectors.get_owned(TimeOff, trainer=request.user, pk=pk)
    services.time_off_delete(time_off=item)
    messages.success(request, "Time off removed.")
    return redirect("scheduling:time_off")


# --- Services ----------------------------------------------------------------------------------


@trainer_required
def service_list(request: TrainerHttpRequest) -> HttpResponse:
    items = selectors.services_for_trainer(trainer=request.user)
    return render(
        request, "scheduling/services.html", {"services": items, "settings_tab": "services"}
    )


def _service_form_page(request: TrainerHttpRequest, service: Service | None) -> HttpResponse:
    trainer = request.user
    initial = {} if service else {"currency": trainer.currency}
    form = ServiceForm(request.POST or None, instance=service, initial=initial)
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in SERVICE_FIELDS}
        try:
            if service is None:
                saved = services.service_create(trainer=trainer, **fields)
            else:
                saved = services.service_update(service=service, **fields)
        except (InvalidInput, Conflict) as exc:
            domain_errors_to_form(form, exc)
        else:
            verb = "added" if service is None else "saved"
            messages.success(request, f"Service “{saved.name}” {verb}.")
            return redirect("scheduling:services")
    return render(
        request,
        "scheduling/service_form.html",
        {
            "form": form,
            "service": service,
            "settings_tab": "services",
            "addon_form": AddonForm(),
        },
        status=400 if form.errors else 200,
    )


@trainer_required
def service_create(request: TrainerHttpRequest) -> HttpResponse:
    return _service_form_page(request, None)


@trainer_required
def service_edit(request: TrainerHttpRequest, pk: int) -> HttpResponse:
    service = selectors.get_owned(Service, trainer=request.user, pk=pk)
    return _service_form_page(request, service)


@trainer_required
@require_POST
def service_deactivate(request: TrainerHttpRequest, pk: int) -> HttpResponse:
    service = selectors.get_owned(Service, trainer=request.user, pk=pk)
    services.service_deactivate(service=service)
    messages.success(
        request, f"“{service.name}” is no longer bookable. Its past sessions are kept."
    )
    return redirect("scheduling:services")


@trainer_required
@require_POST
def service_activate(request: TrainerHttpRequest, pk: int) -> HttpResponse:
    service = selectors.get_owned(Service, trainer=request.user, pk=pk)
    services.service_update(service=service, is_active=True)
    messages.success(request, f"“{service.name}” is bookable again.")
    return redirect("scheduling:services")
