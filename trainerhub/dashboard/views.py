"""The trainer's home page: today, the period's figures, charts, free gaps, activity."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone

from trainerhub.accounts.decorators import trainer_required
from trainerhub.accounts.requests import TrainerHttpRequest
from trainerhub.calendars import selectors as calendar_selectors
from trainerhub.core.validation import day_from_text
from trainerhub.dashboard import selectors, setup
from trainerhub.insights import risk


def _date_param(raw: str | None) -> date | None:
    # Malformed or outside the product's one range (core.validation): the default period.
    try:
        return day_from_text(raw) if raw else None
    except ValidationError:
        return None


def home(request: HttpRequest) -> HttpResponseBase:
    # "/" is everyone's front door: a signed-in client belongs on their own appointments.
    if request.user.is_authenticated and not getattr(request.user, "is_trainer", False):
        return redirect("portal:my_home")
    return _trainer_home(request)


@trainer_required
def _trainer_home(request: TrainerHttpRequest) -> HttpResponse:
    trainer = request.user
    now = timezone.now()
    today = timezone.localdate()  # the trainer's zone, activated by TimezoneMiddleware
    period = selectors.period_for(
        request.GET.get("period", "week"),
        today=today,
        tz=trainer.timezone,
        first=_date_param(request.GET.get("from")),
        last=_date_param(request.GET.get("to")),
    )
    week_end = today + timedelta(days=6 - today.weekday())
    ctx: dict[str, Any] = {
        "period": period,
        "periods": selectors.PERIODS,
        "figures": selectors.period_figures(trainer=trainer, period=period, now=now),
        "charts": selectors.chart_data(trainer=trainer, period=period),
        "today": today,
        "schedule": selectors.todays_schedule(trainer=trainer, today=today),
        "pending": selectors.pending_requests(trainer=trainer, now=now),
        "gaps": selectors.free_gaps(trainer=trainer, now=now, today=today, last_day=week_end),
        "activity": selectors.activity_feed(trainer=trainer),
        "now": now,
        "setup": setup.setup_steps(trainer=trainer),
    }
    ctx["setup_pending"] = setup.setup_pending(ctx["setup"])
    ctx["calendar_errors"] = calendar_selectors.failing_subscriptions(trainer=trainer)
    ctx["at_risk"] = [f.as_dict() for f in risk.flags(trainer=trainer, now=now)]
    return render(request, "dashboard/home.html", ctx)
