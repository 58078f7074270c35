"""The insights page and its CSV exports."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from trainerhub.accounts.decorators import trainer_required
from trainerhub.accounts.requests import TrainerHttpRequest
from trainerhub.core.errors import Conflict, InvalidInput
from trainerhub.insights import report, services
from trainerhub.insights.assistant import model as assistant_model
from trainerhub.insights.assistant import patterns
from trainerhub.insights.assistant import service as assistant_service
from trainerhub.insights.params import period_from, service_from
from trainerhub.insights.periods import PRESETS
from trainerhub.scheduling import explain
from trainerhub.scheduling import selectors as scheduling
from trainerhub.scheduling.views.common import parse_calendar_instant


def _params(request: TrainerHttpRequest) -> dict[str, str]:
    """The query's period and service; a bad one is said once and the default is shown."""
    params = request.GET.dict()
    try:
        period_from(params, trainer=request.user)
        service_from(params, trainer=request.user)
    except InvalidInput as exc:
        messages.error(request, " ".join(m for ms in exc.errors.values() for m in ms))
        params = {}
    return params


@trainer_required
def home(request: TrainerHttpRequest) -> HttpResponse:
    params = _params(request)
    period = period_from(params, trainer=request.user)
    sections: dict[str, Any] = {}
    for name, section in report.SECTIONS.items():
        data = section.compute(request.user, params)
        sections[name] = {
            "name": name,
            "title": section.title,
            "data": data,
            "tables": section.tables(data),
        }
    charts = {
        "heatmap": sections["heatmap"]["data"],
        "utilisation": sections["utilisation"]["data"]["weeks"],
        "retention": sections["retention"]["data"],
        "cancellations": sections["cancellations"]["data"]["months"],
    }
    heat = sections["heatmap"]["data"]
    query = {k: v for k, v in params.items() if k in ("from", "to", "period", "service")}
    ctx = {
        "period": period,
        "previous": period.previous(),
        "presets": PRESETS,
        "services": scheduling.services_for_trainer(trainer=request.user),
        "service_id": params.get("service", ""),
        "sections": sections,
        "charts": charts,
        "querystring": urlencode(query),
        "heat_sessions": heat_grid(heat, "sessions"),
        "heat_missed": heat_grid(heat, "missed"),
        "flags": sections["at-risk"]["data"]["clients"],
    }
    return render(request, "insights/home.html", ctx)


def heat_grid(data: dict[str, Any], layer: str) -> dict[str, Any]:
    """The heatmap's rows for the page: the hours from the first to the last one with
    working hours or bookings, each cell with its count and an intensity level 0-5."""
    grid = data[layer]
    working = {tuple(c) for c in data["working"]}
    used = [
        h
        for h in range(24)
        if any(
            data["sessions"][d][h] or data["missed"][d][h] or (d, h) in working for d in range(7)
        )
    ]
    hours = list(range(used[0], used[-1] + 1)) if used else list(range(7, 21))
    top = max((grid[d][h] for d in range(7) for h in hours), default=0)
    rows = [
        {
            "weekday": data["weekdays"][d],
            "cells": [
                {
                    "hour": h,
                    "n": grid[d][h],
                    "level": -(-5 * grid[d][h] // top) if top else 0,
                    "working": (d, h) in working,
                }
                for h in hours
            ],
        }
        for d in range(7)
    ]
    return {"hours": hours, "rows": rows}


@trainer_required
def export(request: TrainerHttpRequest, name: str) -> HttpResponse:
    if name not in report.SECTIONS:
        raise Http404("No such insight.")
    try:
        body = report.section_csv(name, trainer=request.user, params=request.GET.dict())
    except InvalidInput as exc:
        return HttpResponse(
            " ".join(m for ms in exc.errors.values() for m in ms),
            status=400,
            content_type="text/plain",
        )
    response = HttpResponse(body, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="insights-{name}.csv"'
    return response


@trainer_required
@require_POST
def check_in(request: TrainerHttpRequest, pk: int) -> HttpResponse:
    try:
        rows = services.check_in_send(trainer=request.user, client_pk=pk)
    except Conflict as exc:
        messages.error(request, exc.detail)
    else:
        channels = " and ".join(sorted({r.get_channel_display() for r in rows}))
        messages.success(request, f"Check-in queued by {channels}; it shows in your message log.")
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = reverse("insights:home")
    return redirect(target)


@trainer_required
def why_not_free(request: TrainerHttpRequest) -> HttpResponse:
    """The slot explainer on the calendar: a service and a local date-time, the verdict."""
    trainer = request.user
    services_list = scheduling.services_for_trainer(trainer=trainer, active_only=True)
    ctx: dict[str, Any] = {"services": services_list, "answer": None, "error": ""}
    raw_start = request.GET.get("start", "")
    service = scheduling.active_service_or_none(trainer=trainer, pk=request.GET.get("service"))
    start = parse_calendar_instant(raw_start, trainer.timezone)
    if request.GET.get("service") or raw_start:
        if service is None:
            ctx["error"] = "Choose one of your bookable services."
        elif start is None:
            ctx["error"] = "Give a date and time, e.g. 2026-03-03 10:00."
        else:
            ctx["answer"] = explain.explain(trainer=trainer, service=service, start=start)
    ctx.update(service_id=request.GET.get("service", ""), start=raw_start)
    template = "insights/why.html#answer" if request.htmx else "insights/why.html"
    return render(request, template, ctx)


@trainer_required
def assistant(request: TrainerHttpRequest) -> HttpResponse:
    """Ask your practice: the question box, the suggestions, the answer, recent questions."""
    trainer = request.user
    ctx: dict[str, Any] = {
        "suggestions": patterns.suggestions(trainer),
        "question": "",
        "answer": None,
        "error": "",
        "model_on": assistant_model.configured(),
        "recent": assistant_service.history(trainer=trainer)[:5],
    }
    if request.method == "POST":
        ctx["question"] = request.POST.get("question", "")
        try:
            ctx["answer"] = assistant_service.ask(trainer=trainer, question=ctx["question"])
        except InvalidInput as exc:
            ctx["error"] = " ".join(m for ms in exc.errors.values() for m in ms)
    template = "insights/assistant.html#answer" if request.htmx else "insights/assistant.html"
    return render(request, template, ctx)


@trainer_required
def assistant_history(request: TrainerHttpRequest) -> HttpResponse:
    rows = assistant_service.history(trainer=request.user)
    page = Paginator(rows, 25).get_page(request.GET.get("page"))
    return render(request, "insights/assistant_history.html", {"page": page})
