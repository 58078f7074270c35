"""The workout page both the client (their link or account) and the trainer (logging for
the client in a session) use: which day, its sets pre-filled with this week's targets, and
the JSON endpoints a tap posts to."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from django.http import Http404, HttpRequest, JsonResponse
from django.utils import timezone

from trainerhub.clients.models import Client
from trainerhub.coaching import present, selectors, services
from trainerhub.coaching.schedule import day_on, week_of
from trainerhub.core.errors import DomainError, InvalidInput
from trainerhub.core.jsonbody import BadJson, loads


def json_body(request: HttpRequest) -> dict[str, Any]:
    try:
        body = loads(request.body or b"{}")
    except BadJson as exc:
        raise InvalidInput({"non_field_errors": [str(exc)]}) from None
    except (ValueError, UnicodeDecodeError):
        raise InvalidInput({"non_field_errors": ["The body is not valid JSON."]}) from None
    if not isinstance(body, dict):
        raise InvalidInput({"non_field_errors": ["Send a JSON object."]})
    return body


def _day_param(raw: str | None) -> date | None:
    try:
        return date.fromisoformat(raw) if raw else None
    except ValueError:
        return None


def workout_context(
    *, client: Client, params: Any, log_url: str, done_url: str, page_url: str, by: str
) -> dict[str, Any]:
    """The day to log: ?program=&day=&date= when given, else today's scheduled workout of
    the client's newest active program, else its next one (which they may do today)."""
    today = timezone.localdate()
    units = selectors.settings_for(trainer=client.trainer_id)
    programs = selectors.active_programs(client=client)
    program = None
    if params.get("program"):
        program = next((p for p in programs if str(p.pk) == str(params.get("program"))), None)
        if program is None:
            raise Http404
    elif programs:
        upcoming = present.todays(programs, today)
        program = next((u.program for u in upcoming if u.today), programs[0])
    on = _day_param(params.get("date")) or today
    if on > today:
        on = today
    day = None
    scheduled = None
    if program is not None:
        days = list(program.days.all())
        if params.get("day"):
            day = next((d for d in days if str(d.pk) == str(params.get("day"))), None)
            if day is None:
                raise Http404
        else:
            scheduled = day_on(
                start=program.start_date,
                weekdays=program.weekday_list,
                weeks=program.weeks,
                days=days,
                on=on,
            )
            if scheduled is None:
                from trainerhub.coaching.schedule import next_on_or_after

                scheduled = next_on_or_after(
                    start=program.start_date,
                    weekdays=program.weekday_list,
                    weeks=program.weeks,
                    days=days,
                    on=on,
                )
            day = scheduled.day if scheduled else (days[0] if days else None)
    week = week_of(program.start_date, on) if program else 1
    if program is not None:
        week = min(max(week, 1), program.weeks)
    open_workout = (
        selectors.open_workout(client=client, program=program, day=day, on=on)
        if program is not None and day is not None
        else None
    )
    workout_key = open_workout.idempotency_key if open_workout else uuid.uuid4().hex
    logged = (
        selectors.workout_sets_by_item(workout_key=workout_key, client=client)
        if open_workout
        else {}
    )
    plan = (
        present.workout_plan(day=day, week=week, unit=units.weight_unit, logged=logged)
        if day
        else []
    )
    return {
        "client": client,
        "program": program,
        "programs": programs,
        "day": day,
        "on": on,
        "week": week,
        "plan": plan,
        "unit": units.weight_unit,
        "workout_key": workout_key,
        "workout": open_workout,
        "log_url": log_url,
        "done_url": done_url,
        "page_url": page_url,
        "by": by,
        "feel_choices": [1, 2, 3, 4, 5],
    }


def log_set_response(
    request: HttpRequest, *, client: Client, by: str, booking: Any = None
) -> JsonResponse:
    """POST {workout_key, program, day, date, item, exercise, set_number, reps, weight,
    duration_seconds, distance_m, idempotency_key[, undo]}: stored once per key."""
    try:
        body = json_body(request)
        if body.get("undo"):
            removed = services.set_unlog(
                client=client, idempotency_key=str(body.get("idempotency_key", ""))
            )
            return JsonResponse({"ok": True, "removed": removed})
        row, created = services.set_log(
            client=client,
            workout_key=body.get("workout_key"),
            program=body.get("program"),
            day=body.get("day"),
            on=body.get("date"),
            by=by,
            booking=booking,
            item=body.get("item"),
            exercise=body.get("exercise"),
            set_number=body.get("set_number"),
            reps=body.get("reps"),
            weight=body.get("weight"),
            duration_seconds=body.get("duration_seconds"),
            distance_m=body.get("distance_m"),
            rpe=body.get("rpe"),
            idempotency_key=body.get("idempotency_key"),
        )
    except DomainError as exc:
        errors = exc.errors if isinstance(exc, InvalidInput) else {"non_field_errors": [exc.detail]}
        return JsonResponse(errors, status=400)
    new_records = selectors.uncelebrated_records(client=client) if created else []
    if new_records:
        services.records_celebrated(client=client)
    unit = selectors.settings_for(trainer=client.trainer_id).weight_unit
    return JsonResponse(
        {
            "ok": True,
            "created": created,
            "id": row.pk,
            "text": present.set_text(row, unit),
            "records": [f"{v.what}: {v.value}" for v in present.record_views(new_records, unit)],
        },
        status=201 if created else 200,
    )
