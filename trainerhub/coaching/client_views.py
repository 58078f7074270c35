"""The client's coaching pages: reached by their private link (/coaching/c/<token>/, no
account needed, like a booking's manage link) or, signed in with a client account, from
/coaching/my/. Phone first: today's workout, the program, logging, progress."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from trainerhub.coaching import present, selectors, services
from trainerhub.coaching.forms import MeasurementForm, PhotoForm
from trainerhub.coaching.views import (
    _compare_context,
    _done,
    photo_response,
    save_measurement,
    save_photo,
)
from trainerhub.coaching.workout_page import log_set_response, workout_context


def _base(token: str) -> str:
    return f"/coaching/c/{token}"


@login_required(login_url="portal:my_login")
def my_coaching(request: HttpRequest) -> HttpResponse:
    """A signed-in client account: their coaching with each trainer (one goes straight in)."""
    if getattr(request.user, "is_trainer", False):
        return redirect("coaching:home")
    if getattr(request.user, "role", None) != "client":
        raise Http404
    links = selectors.links_for_account(user=request.user)
    if len(links) == 1:
        return redirect("coaching:client_home", links[0].token)
    return render(request, "coaching/my.html", {"links": links})


def _ctx(link: Any, **extra: Any) -> dict[str, Any]:
    return {
        "link": link,
        "client": link.client,
        "trainer": link.client.trainer,
        "base": _base(link.token),
        **extra,
    }


@require_http_methods(["GET"])
def client_home(request: HttpRequest, token: str) -> HttpResponse:
    link = selectors.link_for_token(token)
    client = link.client
    units = selectors.settings_for(trainer=client.trainer_id)
    today = timezone.localdate()
    programs = selectors.active_programs(client=client)
    upcoming = present.todays(programs, today)
    records = [
        r
        for r in present.record_views(selectors.headline_records(client=client), units.weight_unit)
        if r.record.achieved_on >= today - timedelta(days=14)
    ]
    services.records_celebrated(client=client)
    return render(
        request,
        "coaching/client_home.html",
        _ctx(
            link,
            upcoming=upcoming,
            programs=[
                {
                    "program": p,
                    "days": [
                        {"day": d, "items": present.day_items(d, p.weeks, units.weight_unit)}
                        for d in p.days.all()
                    ],
                    "schedule": present.schedule_rows(p, today, limit=14),
                }
                for p in programs
            ],
            new_records=records,
            adherence=selectors.adherence_for_client(client=client, today=today),
            today=today,
        ),
    )


@require_http_methods(["GET"])
def client_workout(request: HttpRequest, token: str) -> HttpResponse:
    link = selectors.link_for_token(token)
    base = _base(token)
    ctx = workout_context(
        client=link.client,
        params=request.GET,
        log_url=f"{base}/log/set",
        done_url=f"{base}/log/done",
        page_url=f"{base}/workout/",
        by="client",
    )
    return render(request, "coaching/workout.html", {**_ctx(link), **ctx, "trainer_view": False})


@require_POST
def client_log_set(request: HttpRequest, token: str) -> HttpResponse:
    link = selectors.link_for_token(token)
    return log_set_response(request, client=link.client, by="client")


@require_POST
def client_log_done(request: HttpRequest, token: str) -> HttpResponse:
    link = selectors.link_for_token(token)
    return _done(request, link.client)


def _progress(request: HttpRequest, link: Any, **forms: Any) -> dict[str, Any]:
    client = link.client
    units = selectors.settings_for(trainer=client.trainer_id)
    today = timezone.localdate()
    return _ctx(
        link,
        units=units,
        records=present.record_views(selectors.headline_records(client=client), units.weight_unit),
        photos=list(selectors.photos_for_client(client=client)[:60]),
        measurement_form=forms.get("measurement_form")
        or MeasurementForm(
            customs=selectors.custom_measures(trainer=client.trainer_id), initial={"date": today}
        ),
        photo_form=forms.get("photo_form") or PhotoForm(initial={"date": today}),
        measurement_action=f"{_base(link.token)}/progress/",
        photo_action=f"{_base(link.token)}/progress/",
        client_view=True,
        **present.client_progress(client, units),
    )


@require_http_methods(["GET", "POST"])
def client_progress(request: HttpRequest, token: str) -> HttpResponse:
    link = selectors.link_for_token(token)
    client = link.client
    if request.method == "POST" and request.POST.get("form") == "measurement":
        form = MeasurementForm(
            request.POST, customs=selectors.custom_measures(trainer=client.trainer_id)
        )
        if save_measurement(form, client, "client"):
            return redirect(f"{_base(token)}/progress/")
        ctx = _progress(request, link, measurement_form=form)
        return render(request, "coaching/client_progress.html", ctx, status=400)
    if request.method == "POST" and request.POST.get("form") == "photo":
        photo_form = PhotoForm(request.POST, request.FILES)
        if save_photo(photo_form, client, "client"):
            return redirect(f"{_base(token)}/progress/#photos")
        ctx = _progress(request, link, photo_form=photo_form)
        return render(request, "coaching/client_progress.html", ctx, status=400)
    return render(request, "coaching/client_progress.html", _progress(request, link))


@require_http_methods(["GET"])
def client_photo(request: HttpRequest, token: str, pk: int) -> FileResponse:
    link = selectors.link_for_token(token)
    return photo_response(selectors.photo_get(client=link.client, pk=pk))


@require_http_methods(["GET"])
def client_compare(request: HttpRequest, token: str) -> HttpResponse:
    link = selectors.link_for_token(token)
    photos = list(selectors.photos_for_client(client=link.client))
    ctx = _compare_context(request.GET, photos, link.client, base=_base(token))
    return render(request, "coaching/compare.html", {**ctx, "client_view": True, "link": link})
