"""The calendar page and its JSON: events, working-hours shading, drag-and-drop moves."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from typing import Any

from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from trainerhub.accounts.decorators import trainer_required
from trainerhub.accounts.requests import TrainerHttpRequest
from trainerhub.core import jsonbody
from trainerhub.core.errors import DomainError, InvalidInput
from trainerhub.core.forms import domain_errors_to_form
from trainerhub.core.timezones import zone
from trainerhub.scheduling import selectors, services
from trainerhub.scheduling.forms import SessionMoveForm, local_datetime
from trainerhub.scheduling.models import Booking
from trainerhub.scheduling.views.common import error_text, parse_calendar_instant, trigger

MAX_RANGE_DAYS = 62
INACTIVE = {Booking.Status.CANCELLED, Booking.Status.DECLINED}


@trainer_required
def calendar(request: TrainerHttpRequest) -> HttpResponse:
    trainer = request.user
    config = {
        "timeZone": trainer.timezone,
        "eventsUrl": reverse("scheduling:calendar_events"),
        "newUrl": reverse("scheduling:booking_new"),
        "moveUrl": reverse("scheduling:booking_move", args=[0]),
        "detailUrl": reverse("scheduling:booking_detail", args=[0]),
        "sessionUrl": reverse("scheduling:session_panel", args=[0]),
        "sessionMoveUrl": reverse("scheduling:session_move", args=[0]),
        # Where a day's "Book" button starts the form; the form then lists the free starts.
        "dayStart": "09:00",
    }
    services_legend = selectors.services_for_trainer(trainer=trainer, active_only=True)
    return render(
        request,
        "scheduling/calendar.html",
        {"calendar_config": config, "services_legend": services_legend},
    )


@trainer_required
def calendar_events(request: TrainerHttpRequest) -> JsonResponse:
    """FullCalendar's feed: ?start=&end= (ISO). Sessions, working hours, time off."""
    trainer = request.user
    start = parse_calendar_instant(request.GET.get("start", ""), trainer.timezone)
    end = parse_calendar_instant(request.GET.get("end", ""), trainer.timezone)
    if start is None or end is None or end <= start:
        return JsonResponse({"detail": "Give start and end as ISO 8601 dates."}, status=400)
    if end - start > timedelta(days=MAX_RANGE_DAYS):
        return JsonResponse({"detail": f"At most {MAX_RANGE_DAYS} days at once."}, status=400)
    show_cancelled = request.GET.get("cancelled") == "1"
    shown = None if show_cancelled else [s for s in Booking.Status.values if s not in INACTIVE]
    qs = selectors.bookings_for_trainer(trainer=trainer, start=start, end=end, status=shown)
    events: list[dict[str, Any]] = _session_events(qs)
    tz = zone(trainer.timezone)
    first_day: date = start.astimezone(tz).date()
    last_day: date = (end - timedelta(microseconds=1)).astimezone(tz).date()
    for w_start, w_end in selectors.working_windows(
        trainer=trainer, first_day=first_day, last_day=last_day
    ):
        events.append(
            {
                "start": w_start.isoformat(),
                "end": w_end.isoformat(),
                "display": "background",
                "classNames": ["fc-working-hours"],
                "groupId": "working",
            }
        )
    for off in selectors.time_off_for_trainer(trainer=trainer, start=start, end=end):
        events.append(
            {
                "start": off.start.isoformat(),
                "end": off.end.isoformat(),
                "display": "background",
                "classNames": ["fc-time-off"],
                "title": off.reason or "Time off",
            }
        )
    return JsonResponse(events, safe=False)


def _session_events(bookings: Iterable[Booking]) -> list[dict[str, Any]]:
    """One event per private booking, and one per group session (not one per attendee)."""
    events: list[dict[str, Any]] = []
    groups: dict[int, list[Booking]] = {}
    for booking in bookings:
        if booking.service.capacity > 1 and booking.session_id:
            groups.setdefault(booking.session_id, []).append(booking)
        else:
            events.append(_booking_event(booking))
    events += [_group_event(group) for group in groups.values()]
    return events


def _group_event(group: list[Booking]) -> dict[str, Any]:
    """A group class as one event, "HIIT · 3/8"; its panel lists the attendees."""
    first, service = group[0], group[0].service
    seated = [b for b in group if b.status in Booking.ACTIVE_STATUSES]
    classes = ["is-group", f"status-{(seated or group)[0].status}"]
    if not seated:
        classes.append("is-cancelled")
    return {
        "id": f"session-{first.session_id}",
        "title": f"{service.name} · {len(seated)}/{service.capacity}",
        "start": first.start.isoformat(),
        "end": first.end.isoformat(),
        "backgroundColor": service.color,
        "borderColor": service.color,
        "textColor": text_colour_on(service.color),
        "classNames": classes,
        # Dragged as a whole: the drop asks whether everyone moves or one attendee alone.
        "editable": bool(seated),
        "extendedProps": {
            "service": service.name,
            "status": f"{len(seated)} of {service.capacity} places taken",
            "session": first.session_id,
            "attendees": [b.client.full_name for b in seated],
            "snap": service.interval_minutes,
        },
    }


def _session_context(trainer: Any, pk: int, **extra: Any) -> dict[str, Any]:
    bookings = selectors.session_bookings(trainer=trainer, session_pk=pk)
    first = bookings[0]
    seated = [b for b in bookings if b.status in Booking.ACTIVE_STATUSES]
    context = {
        "session": first.session,
        "service": first.service,
        "seated": seated,
        "others": [b for b in bookings if b not in seated],
        "free": max(first.session.capacity - len(seated), 0),
        "movable": bool(seated) and first.session.start > timezone.now(),
    }
    if context["movable"] and "move_form" not in extra:
        start = timezone.localtime(first.session.start).replace(tzinfo=None)
        extra["move_form"] = SessionMoveForm(attendees=seated, initial={"start": start})
    context.update(extra)
    return context


@trainer_required
def session_panel(request: TrainerHttpRequest, pk: int) -> HttpResponse:
    """A group session's attendees, each opening their own booking; room left to add one,
    and the session's move (everyone, or one attendee alone)."""
    return render(request, "scheduling/session_panel.html", _session_context(request.user, pk))


@trainer_required
def session_move(request: TrainerHttpRequest, pk: int) -> HttpResponse:
    """GET ?start=: the calendar's drop of a group session asks who moves, with the new time
    filled in. POST: move it (services.session_move decides, as for the API)."""
    trainer = request.user
    context = _session_context(trainer, pk)
    if not context["movable"]:
        return render(request, "scheduling/session_panel.html", context)
    attendees = context["seated"]
    if request.method != "POST":
        start = parse_calendar_instant(request.GET.get("start", ""), trainer.timezone)
        initial = {"start": timezone.localtime(start or context["session"].start)}
        initial["start"] = initial["start"].replace(tzinfo=None)
        form = SessionMoveForm(attendees=attendees, initial=initial)
        return render(
            request,
            "scheduling/session_panel.html#move",
            {**context, "move_form": form, "asked": start is not None},
        )
    form = SessionMoveForm(request.POST, attendees=attendees)
    if form.is_valid():
        value = form.cleaned_data["start"]
        try:
            moved = services.session_move(
                session=context["session"],
                start=local_datetime(value.date(), value.time(), trainer.timezone),
                actor=Booking.Source.TRAINER,
                actor_user=trainer,
                override_rules=form.cleaned_data["override_rules"],
                only=form.only_attendee(),
            )
        except DomainError as exc:
            domain_errors_to_form(form, exc, refusal_field="start")
        else:
            names = ", ".join(b.client.full_name for b in moved)
            text = f"Moved {context['service'].name} to {_when(moved[0].start)} ({names})."
            fresh = _session_context(trainer, moved[0].session_id, done=text)
            return trigger(render(request, "scheduling/session_panel.html", fresh))
    # The panel's form again, with the refusal next to the field it concerns.
    context = {**context, "move_form": form, "asked": True}
    return render(request, "scheduling/session_panel.html#move", context)


def _when(value: Any) -> str:
    local = timezone.localtime(value)
    return f"{local:%a} {local.day} {local:%b}, {local:%H:%M}"


def _booking_event(booking: Booking) -> dict[str, Any]:
    active = booking.status in Booking.ACTIVE_STATUSES
    title = booking.client.full_name
    if booking.service.capacity > 1:
        # `attendees` is annotated by selectors.bookings_for_trainer.
        title += f" · {booking.attendees}/{booking.service.capacity}"  # type: ignore[attr-defined]
    classes = [f"status-{booking.status}"]
    if booking.status in INACTIVE:
        classes.append("is-cancelled")
    return {
        "id": str(booking.pk),
        "title": title,
        "start": booking.start.isoformat(),
        "end": booking.end.isoformat(),
        "backgroundColor": booking.service.color,
        "borderColor": booking.service.color,
        "textColor": text_colour_on(booking.service.color),
        "classNames": classes,
        "editable": active,
        "extendedProps": {
            "service": booking.service.name,
            "status": booking.get_status_display(),
            "series": bool(booking.series_id),
            # The drag snaps to the service's start interval (any start is the trainer's).
            "snap": booking.service.interval_minutes,
        },
    }


def _luminance(hex_colour: str) -> float:
    """WCAG relative luminance of #rrggbb."""
    channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def text_colour_on(background: str) -> str:
    """White or black, whichever reads better on the service's colour: the trainer picks any
    colour, and white on a mid green or a yellow fails WCAG's 4.5:1. One of the two always
    reaches at least 4.58:1."""
    try:
        lum = _luminance(background)
    except (ValueError, IndexError):
        return "#ffffff"
    return "#ffffff" if 1.05 / (lum + 0.05) >= (lum + 0.05) / 0.05 else "#000000"


@trainer_required
@require_POST
def booking_move(request: TrainerHttpRequest, pk: int) -> JsonResponse:
    """Drag and drop: {"start": ISO with offset}. 409 with the reason when a rule refuses."""
    trainer = request.user
    booking = selectors.booking_get_for_trainer(trainer=trainer, pk=pk)
    try:
        # Depth-limited (a body of nested brackets would recurse the parser to a 500).
        body = jsonbody.loads(request.body or b"{}")
    except ValueError:
        return JsonResponse({"detail": 'Send JSON like {"start": "..."}.'}, status=400)
    raw = body.get("start") if isinstance(body, dict) else None
    start = parse_calendar_instant(raw, trainer.timezone) if isinstance(raw, str) else None
    if start is None:
        return JsonResponse({"detail": "Give the new start as an ISO 8601 time."}, status=400)
    try:
        moved = services.booking_reschedule(
            booking=booking,
            start=start,
            actor=Booking.Source.TRAINER,
            actor_user=trainer,
            override_rules=bool(body.get("override_rules")),
        )
    except InvalidInput as exc:
        return JsonResponse({"detail": error_text(exc)}, status=400)
    except DomainError as exc:
        return JsonResponse({"code": exc.code, "detail": exc.detail}, status=exc.status)
    moved = selectors.booking_get_for_trainer(trainer=trainer, pk=moved.pk)
    return JsonResponse({"detail": "Booking moved.", "event": _booking_event(moved)})
