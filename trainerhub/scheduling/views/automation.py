"""The trainer's "Requests and completion" settings: what the worker does on its own, and
the day limit across all services."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render

from trainerhub.accounts.decorators import trainer_required
from trainerhub.accounts.requests import TrainerHttpRequest
from trainerhub.core.errors import InvalidInput
from trainerhub.core.forms import domain_errors_to_form
from trainerhub.scheduling import services
from trainerhub.scheduling.services.housekeeping import settings_for


class AutomationForm(forms.Form):
    request_expiry_hours = forms.IntegerField(
        label="Requests expire after (hours)",
        required=False,
        min_value=1,
        max_value=720,
        help_text="A request you have not confirmed by then is declined and the client is told; "
        "the time is free again. Empty: requests wait for you (until their start).",
    )
    auto_complete_hours = forms.IntegerField(
        label="Mark sessions completed after (hours)",
        required=False,
        min_value=0,
        max_value=720,
        help_text="Hours after a confirmed session ends; mark a no-show before then. "
        "Empty: you mark each one yourself.",
    )
    max_bookings_per_day = forms.IntegerField(
        label="At most this many bookings a day",
        required=False,
        min_value=1,
        max_value=500,
        help_text="Across all your services (each place in a group class counts). Empty: no limit.",
    )
    max_hours_per_day = forms.DecimalField(
        label="At most this many booked hours a day",
        required=False,
        min_value=Decimal("0.25"),
        max_value=Decimal("24"),
        max_digits=4,
        decimal_places=2,
        help_text="Across all your services: the sessions' own length, a group class counted "
        "once. Once a day is full it is no longer offered. Empty: no limit.",
    )


@trainer_required
def automation(request: TrainerHttpRequest) -> HttpResponse:
    current = settings_for(trainer=request.user)
    initial = {
        "request_expiry_hours": current.request_expiry_hours,
        "auto_complete_hours": current.auto_complete_hours,
        "max_bookings_per_day": current.max_bookings_per_day,
        "max_hours_per_day": current.max_hours_per_day,
    }
    form = AutomationForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.scheduling_settings_update(trainer=request.user, **form.cleaned_data)
        except InvalidInput as exc:
            domain_errors_to_form(form, exc)
        else:
            messages.success(request, "Saved what happens to requests and past sessions.")
            return redirect("scheduling:automation")
    return render(
        request, "scheduling/automation.html", {"form": form, "settings_tab": "automation"}
    )
