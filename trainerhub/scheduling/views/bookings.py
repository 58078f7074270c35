"""Booking pages: the list, the detail (full page or calendar panel), the actions, booking by
hand. Every decision is the scheduling services'; these views only translate."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, cast

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from trainerhub.accounts.decorators import trainer_required
from trainerhub.accounts.models import User
from trainerhub.accounts.requests import HtmxHttpRequest, TrainerHttpRequest
from trainerhub.core.errors import DomainError, InvalidInput
from trainerhub.core.forms import domain_errors_to_form
from trainerhub.core.timezones import local_day_bounds
from trainerhub.core.validation import day_from_text, instant_in_range
from trainerhub.scheduling import selectors, services
from trainerhub.scheduling.client_reads import client_reads
from trainerhub.scheduling.forms import (
    BookingFilterForm,
    BookingForm,
    CancelForm,
    RepeatForm,
    RescheduleForm,
    local_datetime,
)
from trainerhub.scheduling.models import Booking, Service
from trainerhub.scheduling.views.common import error_text, parse_calendar_instant, trigger
from trainerhub.scheduling.views.pricing import form_purchase, price_context, refusal_field_of

PAGE_SIZE = 25
FILTER_KEYS = ("start", "end", "status", "client", "service")
ACTIONS = {
    "confirm": (services.booking_confirm, "Booking confirmed."),
    "decline": (services.booking_decline, "Request declined."),
    "complete": (services.booking_complete, "Session marked as completed."),
    "no_show": (services.booking_mark_no_show, "Marked as no-show."),
}


def _error_status(request: HtmxHttpRequest, errors: Any, status: int) -> int:
    """The error status for a whole page; 200 for htmx, which swaps only 2xx answers."""
    return status if errors and not request.htmx else 200


def _local(value: datetime, trainer: User) -> datetime:
    return local_datetime(value.date(), value.time(), trainer.timezone)


# --- List and detail -----------------------------------------------------------------------


@trainer_required
def booking_list(request: TrainerHttpRequest) -> HttpResponse:
    trainer = request.user
    # Only the filters bind the form: "?page=2" alone keeps the default (upcoming) listing.
    bound = any(key in request.GET for key in FILTER_KEYS)
    form = BookingFilterForm(request.GET if bound else None, trainer=trainer)
    filters: dict[str, Any] = {}
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        tz_day = local_day_bounds
        if data["start"]:
            filters["start"] = tz_day(trainer.timezone, data["start"], data["start"])[0]
        if data["end"]:
            filters["end"] = tz_day(trainer.timezone, data["end"], data["end"])[1]
        filters.update(
            status=data["status"] or None, client=data["client"], service=data["service"]
        )
    elif not form.is_bound:
        # By default: from today on, the sessions a trainer is about to run.
        filters["start"] = local_day_bounds(
            trainer.timezone, timezone.localdate(), timezone.localdate()
        )[0]
    qs = selectors.bookings_for_trainer(trainer=trainer, **filters)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    ctx = {
        "form": form,
        "page": page,
        "query": query.urlencode(),
        "filtered": form.is_bound,
        "now": timezone.now(),  # which rows may be completed, and which moved or cancelled
    }
    template = "scheduling/bookings.html#results" if request.htmx else "scheduling/bookings.html"
    return render(request, template, ctx, status=_error_status(request, form.errors, 400))


def _detail_context(booking: Booking, **extra: Any) -> dict[str, Any]:
    ctx = {
        # "Cancel this and following" lists what it would cancel.
        "following": services.series_following(booking) if booking.series_id else [],
        "booking": booking,
        "history": _history(booking),
        "cancel_form": CancelForm(),
        "reschedule_form": RescheduleForm(
            initial={"start": timezone.localtime(booking.start).replace(tzinfo=None)}
        ),
        "now": timezone.now(),
    }
    ctx.update(extra)
    return ctx


def _history(booking: Booking) -> list[Any]:
    events = list(selectors.booking_history(booking=booking))
    for event in events:
        # A reschedule records ISO instants; the page shows them in the trainer's zone.
        for key in ("from", "to"):
            raw = event.data.get(key) if isinstance(event.data, dict) else None
            try:
                value = datetime.fromisoformat(raw) if isinstance(raw, str) else None
            except ValueError:
                value = None
            setattr(event, f"moved_{key}", value)
    return events


def _render_detail(request: HtmxHttpRequest, booking: Booking, status: int = 200, **extra: Any):
    # The calendar opens the detail as a panel (htmx); a link opens the whole page.
    template = "scheduling/booking_detail.html"
    if request.htmx and not request.htmx.boosted:
        template += "#panel"
    return render(request, template, _detail_context(booking, **extra), status=status)


@trainer_required
def booking_detail(request: TrainerHttpRequest, pk: int) -> HttpResponse:
    booking = selectors.booking_get_for_trainer(trainer=request.user, pk=pk)
    return _render_detail(request, booking)


def _after_action(request: TrainerHttpRequest, booking: Booking, text: str) -> HttpResponse:
    if request.htmx:
        fresh = selectors.booking_get_for_trainer(trainer=request.user, pk=booking.pk)
        return trigger(_render_detail(request, fresh, done=text))
    messages.success(request, text)
    return redirect(
        request.POST.get("next") or reverse("scheduling:booking_detail", args=[booking.pk])
    )


def _refused(request: TrainerHttpRequest, booking: Booking, exc: DomainError, **extra: Any):
    if request.htmx:
        fresh = selectors.booking_get_for_trainer(trainer=request.user, pk=booking.pk)
        # htmx swaps only 2xx answers by default: the refusal must reach the panel.
        return _render_detail(request, fresh, refused=error_text(exc), **extra)
    messages.error(request, error_text(exc))
    return redirect(
        request.POST.get("next") or reverse("scheduling:booking_detail", args=[booking.pk])
    )


def _next_url(request: HttpRequest, booking: Booking) -> str:
    return request.POST.get("next") or reverse("scheduling:booking_detail", args=[booking.pk])


def _safe_next(request: HttpRequest) -> None:
    nxt = request.POST.get("next", "")
    if (nxt and not nxt.startswith("/")) or nxt.startswith("//"):
        raise Http404


@trainer_required
@require_POST
def booking_action(request: TrainerHttpRequest, pk: int, action: str) -> HttpResponse:
    _safe_next(request)
    booking = selectors.booking_get_for_trainer(trainer=request.user, pk=pk)
    if action not in ACTIONS:
        raise Http404
    func, text = ACTIONS[action]
    try:
        func(booking=booking, actor=Booking.Source.TRAINER, actor_user=request.user)
    except DomainError as exc:
        return _refused(request, booking, exc)
    return _after_action(request, booking, text)


@trainer_required
@require_POST
def booking_cancel(request: TrainerHttpRequest, pk: int) -> HttpResponse:
    _safe_next(request)
    booking = selectors.booking_get_for_trainer(trainer=request.user, pk=pk)
    form = CancelForm(request.POST)
    if not form.is_valid():
        errors = InvalidInput({k: [str(m) for m in v] for k, v in form.errors.items()})
        return _refused(request, booking, errors, cancel_form=form)
    data = form.cleaned_data
    try:
        if data["following"] and booking.series_id:
            cancelled = services.series_cancel_following(
                booking=booking,
                actor=Booking.Source.TRAINER,
                actor_user=request.user,
                reason=data["reason"],
            )
            text = f"Cancelled {len(cancelled)} sessions of the series."
        else:
            services.booking_cancel(
                booking=booking,
                actor=Booking.Source.TRAINER,
                actor_user=request.user,
                reason=data["reason"],
                late=data["late"],
            )
            text = "Booking cancelled."
    except DomainError as exc:
        return _refused(request, booking, exc, cancel_form=form)
    return _after_action(request, booking, text)


@trainer_required
@require_POST
def booking_reschedule(request: TrainerHttpRequest, pk: int) -> HttpResponse:
    _safe_next(request)
    trainer = request.user
    booking = selectors.booking_get_for_trainer(trainer=trainer, pk=pk)
    form = RescheduleForm(request.POST)
    if not form.is_valid():
        return _refused(
            request, booking, InvalidInput("Give the new date and time."), reschedule_form=form
        )
    try:
        services.booking_reschedule(
            booking=booking,
            start=_local(form.cleaned_data["start"], trainer),
            actor=Booking.Source.TRAINER,
            actor_user=trainer,
            override_rules=form.cleaned_data["override_rules"],
        )
    except DomainError as exc:
        return _refused(request, booking, exc, reschedule_form=form)
    return _after_action(request, booking, "Booking moved.")


# --- Booking by hand (the calendar's panel, or a page of its own) ---------------------------


def _slot_choices(trainer: User, service: Service | None, day: date | None) -> list[Any]:
    if service is None or day is None:
        return []
    return selectors.slots_for_service(
        trainer=trainer, service=service, first_day=day, last_day=day
    )


@trainer_required
def booking_new(request: TrainerHttpRequest) -> HttpResponse:
    trainer = request.user
    initial: dict[str, Any] = {}
    if request.method == "GET":
        start = parse_calendar_instant(request.GET.get("start", ""), trainer.timezone)
        if start is not None:
            initial["start"] = timezone.localtime(start).replace(tzinfo=None)
        for key in ("client", "service"):
            if request.GET.get(key, "").isdigit():
                initial[key] = request.GET[key]
    form = BookingForm(request.POST or None, trainer=trainer, initial=initial)
    repeat = RepeatForm(request.POST or None)
    repeating = request.method == "POST" and repeat.is_valid() and repeat.cleaned_data["repeat"]
    # The dates' verdicts are shown again with a refusal (taken before it marks the form).
    show_dates = bool(repeating) and form.is_valid()
    if request.method == "POST" and form.is_valid() and repeating:
        done = _book_series(request, form, repeat)
        if done is not None:
            return done
    elif request.method == "POST" and form.is_valid() and repeat.is_valid():
        data = form.cleaned_data
        try:
            booking = services.booking_create(
                trainer=trainer,
                client=data["client"],
                service=data["service"],
                start=_local(data["start"], trainer),
                notes=data["notes"],
                source=Booking.Source.TRAINER,
                actor_user=trainer,
                override_rules=data["override_rules"],
                purchase=form_purchase(data),
            )
        except DomainError as exc:
            domain_errors_to_form(form, exc, refusal_field=refusal_field_of(exc))
        else:
            text = f"Booked {booking.service.name} with {booking.client.full_name}."
            if request.htmx:
                response = render(request, "scheduling/booking_new.html#done", {"text": text})
                return trigger(response)
            messages.success(request, text)
            return redirect("scheduling:booking_detail", booking.pk)
    ctx = _booking_form_context(trainer, form)
    ctx.update(price_context(trainer, form))
    ctx["repeat_form"] = repeat
    if show_dates:
        ctx.update(_occurrences(trainer, form, repeat))
    template = (
        "scheduling/booking_new.html#panel" if request.htmx else "scheduling/booking_new.html"
    )
    errors = form.errors or repeat.errors
    return render(request, template, ctx, status=_error_status(request, errors, 400))


def _book_series(
    request: TrainerHttpRequest, form: BookingForm, repeat: RepeatForm
) -> HttpResponse | None:
    """A recurring booking from the form: the answer, or None with the refusal on the form."""
    trainer, data = request.user, form.cleaned_data
    try:
        series, bookings, refused = services.series_create(
            trainer=trainer,
            client=data["client"],
            service=data["service"],
            start=_local(data["start"], trainer),
            notes=data["notes"],
            source=Booking.Source.TRAINER,
            actor_user=trainer,
            override_rules=data["override_rules"],
            purchase=form_purchase(data),
            all_or_nothing=repeat.cleaned_data["all_or_nothing"],
            **repeat.series(),
        )
    except DomainError as exc:
        domain_errors_to_form(form, exc, refusal_field="start")
        return None
    if series is None:
        every_date = not repeat.cleaned_data["all_or_nothing"]
        form.add_error(None, _nothing_booked(refused, every_date=every_date))
        return None
    text = f"Booked {len(bookings)} {data['service'].name} sessions with "
    text += f"{data['client'].full_name}, every {_weeks(series.every_weeks)}."
    if refused:
        skipped = "; ".join(
            f"{_day(datetime.fromisoformat(r['start']))}: {r['detail']}" for r in refused
        )
        text += f" Skipped {len(refused)} date{'s' if len(refused) != 1 else ''} ({skipped})"
    if request.htmx:
        return trigger(render(request, "scheduling/booking_new.html#done", {"text": text}))
    messages.success(request, text)
    return redirect("scheduling:booking_detail", bookings[0].pk)


def _nothing_booked(refused: list[dict[str, str]], *, every_date: bool) -> str:
    count = len(refused)
    dates = f"{count} date{'s are' if count != 1 else ' is'} not free"
    if every_date:
        return f"Nothing was booked: no date is free ({dates}, see the list below)."
    return (
        f"Nothing was booked: {dates} (see the list below). Change the time, or choose "
        "“Book the free dates and skip the others”."
    )


def _weeks(every: int) -> str:
    return "week" if every == 1 else f"{every} weeks"


def _day(value: datetime) -> str:
    local = timezone.localtime(value)
    return f"{local:%a} {local.day} {local:%b}"


def _occurrences(trainer: User, form: BookingForm, repeat: RepeatForm) -> dict[str, Any]:
    """The dates of the series, each with its verdict, or the reason there is no list."""
    data = form.cleaned_data
    try:
        plan = services.series_preview(
            trainer=trainer,
            client=data["client"],
            service=data["service"],
            start=_local(data["start"], trainer),
            override_rules=data["override_rules"],
            **repeat.series(),
        )
    except DomainError as exc:
        return {"hint": error_text(exc)}
    return {"occurrences": plan, "refused_count": sum(1 for o in plan if not o.free)}


@trainer_required
def series_preview(request: TrainerHttpRequest) -> HttpResponse:
    """The booking form's live list of a recurring booking's dates: free, or which rule
    refuses each (the engine that decides, through services.series_preview)."""
    trainer = request.user
    form = BookingForm(request.GET, trainer=trainer)
    repeat = RepeatForm(request.GET)
    ctx: dict[str, Any] = {"repeat_form": repeat}
    if not (repeat.is_valid() and repeat.cleaned_data["repeat"]):
        ctx["hint"] = "" if repeat.is_valid() else error_text(_form_error(repeat))
    elif not form.is_valid():
        ctx["hint"] = "Choose the client, the service and the first start to see the dates."
    else:
        ctx.update(_occurrences(trainer, form, repeat))
    return render(request, "scheduling/booking_new.html#series_preview", ctx)


def _form_error(form: forms.Form) -> InvalidInput:
    return InvalidInput({k: [str(m) for m in v] for k, v in form.errors.items()})


def _booking_form_context(trainer: User, form: BookingForm) -> dict[str, Any]:
    service = _form_value(form, "service", Service)
    start = _form_start(form)
    slots = _slot_choices(trainer, service, start.date() if start else None)
    return {"form": form, "slots": slots, "slot_service": service, "slot_day": start}


def _form_value(form: BookingForm, name: str, model: Any) -> Any:
    raw = form[name].value()
    if raw in (None, ""):
        return None
    rows = cast(forms.ModelChoiceField, form.fields[name]).queryset
    try:
        return rows.get(pk=raw) if rows is not None else None
    except (model.DoesNotExist, ValueError, TypeError):
        return None


def _form_start(form: BookingForm) -> datetime | None:
    raw = form["start"].value()
    if isinstance(raw, datetime):
        return raw if instant_in_range(raw) else None
    try:
        value = datetime.fromisoformat(str(raw)) if raw else None
    except ValueError:
        return None
    # Only to list that day's slots: a start outside the product's range lists none.
    return value if value is not None and instant_in_range(value) else None


@trainer_required
def booking_slots(request: TrainerHttpRequest) -> HttpResponse:
    """The service's free slots of one day, as buttons that fill the form's start field."""
    trainer = request.user
    service = selectors.active_service_or_none(trainer=trainer, pk=request.GET.get("service"))
    day = None
    raw = request.GET.get("start", "")[:10]
    try:
        day = day_from_text(raw) if raw else None
    except ValidationError:
        day = None
    ctx = {"slots": _slot_choices(trainer, service, day), "slot_service": service, "slot_day": day}
    return render(request, "scheduling/booking_new.html#slots", ctx)


@trainer_required
def client_options(request: TrainerHttpRequest) -> HttpResponse:
    """The client picker's options for a search (search-as-you-type in the booking form)."""
    query = request.GET.get("q", "").strip()[:100]
    # The search hides archived clients: they cannot be booked.
    qs = client_reads().clients_search(trainer=request.user, query=query)
    selected = request.GET.get("client", "")
    return render(
        request,
        "scheduling/booking_new.html#client_options",
        {"clients": list(qs[:50]), "selected": selected, "query": query},
    )
