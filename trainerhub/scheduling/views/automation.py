"""The trainer's "Requests and completion" settings: what the worker does on its own."""

from __future__ import annotations

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


@trainer_required
def automation(request: TrainerHttpRequest) -> HttpResponse:
    current = settings_for(trainer=request.user)
    initial = {
        "request_expiry_hours": current.request_expiry_hours,
        "auto_complete_hours": current.auto_complete_hours,
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
