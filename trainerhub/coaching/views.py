"""The trainer's coaching pages: exercise library, program builder, assigning, a client's
coaching page (adherence, logs, measurements, photos, records) and logging for a client."""

from __future__ import annotations

import json
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from trainerhub.accounts.decorators import trainer_required
from trainerhub.accounts.requests import TrainerHttpRequest
from trainerhub.clients import selectors as client_selectors
from trainerhub.coaching import present, selectors, services
from trainerhub.coaching.data.starters import STARTERS
from trainerhub.coaching.forms import (
    AssignForm,
    CustomMeasureForm,
    DayForm,
    ExerciseFilterForm,
    ExerciseForm,
    ItemForm,
    MeasurementForm,
    PhotoForm,
    ProgramForm,
    ScheduleForm,
    SettingsForm,
)
from trainerhub.coaching.workout_page import json_body, log_set_response, workout_context
from trainerhub.core.errors import DomainError, InvalidInput
from trainerhub.core.forms import domain_errors_to_form


def _units(request: TrainerHttpRequest) -> Any:
    return selectors.settings_for(trainer=request.user)


# --- Home and settings -----------------------------------------------------------------------


@trainer_required
def home(request: TrainerHttpRequest) -> HttpResponse:
    archived = request.GET.get("archived") == "1"
    return render(
        request,
        "coaching/home.html",
        {
            "templates": selectors.templates_for_trainer(trainer=request.user, archived=archived),
            "archived": archived,
            "starters": STARTERS,
            "assigned": selectors.client_programs_for_trainer(trainer=request.user)[:50],
            "coaching_tab": "programs",
        },
    )


@trainer_required
def attention_card(request: TrainerHttpRequest) -> HttpResponse:
    """The dashboard's "needs attention" card (fetched by the dashboard after it loads)."""
    rows = selectors.attention_clients(trainer=request.user, today=timezone.localdate())
    return render(request, "coaching/_attention_card.html", {"rows": rows})


@trainer_required
def settings_page(request: TrainerHttpRequest) -> HttpResponse:
    units = _units(request)
    form = SettingsForm(
        request.POST or None,
        initial={"weight_unit": units.weight_unit, "length_unit": units.length_unit},
    )
    custom_form = CustomMeasureForm(prefix="custom")
    if request.method == "POST" and form.is_valid():
        try:
            services.settings_update(trainer=request.user, **form.cleaned_data)
        except InvalidInput as exc:
            domain_errors_to_form(form, exc)
        else:
            messages.success(request, "Units saved.")
            return redirect("coaching:settings")
    return render(
        request,
        "coaching/settings.html",
        {
            "form": form,
            "custom_form": custom_form,
            "customs": selectors.custom_measures(trainer=request.user),
            "coaching_tab": "settings",
        },
        status=400 if form.errors else 200,
    )


@trainer_required
@require_POST
def custom_measure_add(request: TrainerHttpRequest) -> HttpResponse:
    form = CustomMeasureForm(request.POST, prefix="custom")
    if form.is_valid():
        try:
            services.custom_measure_add(trainer=request.user, name=form.cleaned_data["name"])
            messages.success(request, "Measurement added.")
        except InvalidInput as exc:
            messages.error(request, exc.detail)
    else:
        messages.error(request, "Give the measurement a name.")
    return redirect("coaching:settings")


# --- Exercises -------------------------------------------------------------------------------


@trainer_required
def exercise_list(request: TrainerHttpRequest) -> HttpResponse:
    form = ExerciseFilterForm(request.GET or None)
    filters: dict[str, Any] = form.cleaned_data if form.is_valid() else {}
    qs = selectors.exercises_for_trainer(trainer=request.user, **filters)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "coaching/exercises.html",
        {
            "form": form,
            "page": page,
            "exercises": page.object_list,
            "hidden": selectors.hidden_ids(trainer=request.user),
            "querystring": query.urlencode(),
            "coaching_tab": "exercises",
        },
    )


def _exercise_form_page(request: TrainerHttpRequest, exercise: Any = None) -> HttpResponse:
    initial = {}
    if exercise is not None:
        initial = {
            "name": exercise.name,
            "category": exercise.category,
            "primary_muscles": exercise.primary_list,
            "secondary_muscles": exercise.secondary_list,
            "equipment": exercise.equipment_list,
            "difficulty": exercise.difficulty,
            "measurement": exercise.measurement,
            "instructions": exercise.instructions,
            "video_url": exercise.video_url,
        }
    form = ExerciseForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            if exercise is None:
                exercise = services.exercise_create(trainer=request.user, **form.cleaned_data)
            else:
                exercise = services.exercise_update(exercise=exercise, **form.cleaned_data)
        except InvalidInput as exc:
            domain_errors_to_form(form, exc)
        else:
            messages.success(request, f"Saved {exercise.name}.")
            return redirect("coaching:exercise", exercise.pk)
    return render(
        request,
        "coaching/exercise_form.html",
        {"form": form, "exercise": exercise, "coaching_tab": "exercises"},
        status=400 if form.errors else 200,
    )


@trainer_required
def exercise_new(request: TrainerHttpRequest) -> HttpResponse:
    return _exercise_form_page(request)


@trainer_required
def exercise_edit(request: TrainerHttpRequest, pk: int) -> HttpResponse:
    return _exercise_form_page(request, selectors.own_exercise_get(trainer=request.user, pk=pk))


@trainer_required
def exercise_detail(request: TrainerHttpRequest, pk: int) -> HttpResponse:
    exercise = selectors.exercise_get_for_trainer(trainer=request.user, pk=pk)
    return render(
        request,
        "coaching/exercise_detail.html",
        {
            "exercise": exercise,
            "is_hidden": exercise.pk in selectors.hidden_ids(trainer=request.user),
            "coaching_tab": "exercises",
        },
    )


@trainer_required
@require_POST
def exercise_hide(request: TrainerHttpRequest, pk: int) -> HttpResponse:
    exercise = selectors.exercise_get_for_trainer(trainer=request.user, pk=pk)
    hide = request.POST.get("hidden") == "1"
    try:
        services.exercise_set_hidden(trainer=request.user, exercise=exercise, hidden=hide)
        messages.success(
            request, f"{exercise.name} is {'hidden from' if hide else 'back in'} your library."
        )
    except InvalidInput as exc:
        messages.error(request, exc.detail)
    return redirect("coaching:exercise", exercise.pk)


@trainer_required
@require_POST
def exercise_delete(request: TrainerHttpRequest, pk: int) -> HttpResponse:
    exercise = selectors.own_exercise_get(trainer=request.user, pk=pk)
    try:
        services.exercise_delete(exercise=exercise)
    except InvalidInput as exc:
        messages.error(request, exc.detail)
        return redirect("coaching:exercise", exercise.pk)
    messages.success(request, f"Deleted {exercise.name}.")
    return redirect("coaching:exercises")


# --- Programs --------------------------------------------------------------------------------


@trainer_required
def program_new(request: TrainerHttpRequest) -> HttpResponse:
    form = ProgramForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            program = services.program_create(trainer=request.user, **form.cleaned_data)
        except InvalidInput as exc:
            domain_errors_to_form(form, exc)
        else:
            services.day_add(program=program, name="Day A")
            return redirect("coaching:program", program.pk)
    return render(
        request,
        "coaching/program_form.html",
        {"form": form, "coaching_tab": "programs"},
        status=400 if form.errors else 200,
    )


@trainer_required
def program_edit(request: TrainerHttpRequest, pk: int) -> HttpResponse:
    program = selectors.program_get_for_trainer(trainer=request.user, pk=pk, tree=False)
    form = ProgramForm(
        request.POST or None,
        initial={
            "name": program.name,
            "goal": program.goal,
            "weeks": program.weeks,
            "description": program.description,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.program_update(program=program, **form.cleaned_data)
        except InvalidInput as exc:
            domain_errors_to_form(form, exc)
        else:
            return redirect("coaching:program", program.pk)
    return render(
        request,
        "coaching/program_form.html",
        {"form": form, "program": program, "coaching_tab": "programs"},
        status=400 if form.errors else 200,
    )


def _builder_context(request: TrainerHttpRequest, program: Any, **extra: Any) -> dict[str, Any]:
    units = _units(request)
    exercises = list(selectors.exercises_for_trainer(trainer=request.user))
    failed, failed_form = extra.pop("failed_day", None), extra.pop("item_form", None)
    days = [
        {
            "day": d,
            "items": present.day_items(d, program.weeks, units.weight_unit),
            "form": failed_form
            if failed == d.pk and failed_form is not None
            else ItemForm(exercises=exercises, unit=units.weight_unit, auto_id=f"id_d{d.pk}_%s"),
        }
        for d in program.days.all()
    ]
    ctx: dict[str, Any] = {
        "program": program,
        "days": days,
        "unit": units.weight_unit,
        "day_form": DayForm(),
        "week_numbers": list(range(1, program.weeks + 1)),
        "coaching_tab": "programs",
    }
    if program.is_template:
        clients = client_selectors.clients_search(trainer=request.user)[:500]
        ctx["assign_form"] = AssignForm(
            clients=clients, initial={"start_date": timezone.localdate()}
        )
    else:
        ctx["schedule_form"] = ScheduleForm(
            initial={
                "start_date": program.start_date,
                "weekdays": [str(d) for d in program.weekday_list],
            }
        )
    ctx.update(extra)
    return ctx


@trainer_required
def program_detail(request: TrainerHttpRequest, pk: int) -> HttpResponse:
    program = selectors.program_get_for_trainer(trainer=request.user, pk=pk)
    return render(request, "coaching/program.html", _builder_context(request, program))


def _back(program: Any) -> HttpResponse:
    return redirect("coaching:program", program.pk)


@trainer_required
@require_POST
def day_add(request: TrainerHttpRequest, pk: int) -> HttpResponse:
    program = selectors.program_get_for_trainer(trainer=request.user, pk=pk, tree=False)
    form = DayForm(request.POST)
    if form.is_valid():
        try:
            services.day_add(program=program, **form.cleaned_data)
        except InvalidInput as exc:
            domain_errors_to_form(form, exc)
    if form.errors:
        program = selectors.program_get_for_trainer(trainer=request.user, pk=pk)
        ctx = _builder_context(request, program, day_form=form)
        return render(request, "coaching/program.html", ctx, status=400)
    return _back(program)


@trainer_required
@require_POST
def day_edit(request: TrainerHttpRequest, pk: int, day_pk: int) -> HttpResponse:
    program = selectors.program_get_for_trainer(trainer=request.user, pk=pk, tree=False)
    day = selectors.day_get(program=program, pk=day_pk)
    if request.POST.get("delete") == "1":
        services.day_delete(day=day)
        return _back(program)
    try:
        services.day_update(
            day=day, name=request.POST.get("name", ""), notes=request.POST.get("notes", "")
        )
    except InvalidInput as exc:
        messages.error(request, exc.detail)
    return _back(program)


def _item_data(form: ItemForm) -> dict[str, Any]:
    return dict(form.cleaned_data.items())


@trainer_required
@require_POST
def item_add(request: TrainerHttpRequest, pk: int, day_pk: int) -> HttpResponse:
    program = selectors.program_get_for_trainer(trainer=request.user, pk=pk, tree=False)
    day = selectors.day_get(program=program, pk=day_pk)
    units = _units(request)
    exercises = list(selectors.exercises_for_trainer(trainer=request.user))
    form = ItemForm(
        request.POST, exercises=exercises, unit=units.weight_unit, auto_id=f"id_d{day.pk}_%s"
    )
    if form.is_valid():
        try:
            services.item_add(day=day, unit=units.weight_unit, **_item_data(form))
        except InvalidInput as exc:
            domain_errors_to_form(form, exc)
    if form.errors:
        program = selectors.program_get_for_trainer(trainer=request.user, pk=pk)
        ctx = _builder_context(request, program, item_form=form, failed_day=day.pk)
        return render(request, "coaching/program.html", ctx, status=400)
    return redirect(f"/coaching/programs/{program.pk}/#day-{day.pk}")


@trainer_required
def item_edit(request: TrainerHttpRequest, pk: int, item_pk: int) -> HttpResponse:
    program = selectors.program_get_for_trainer(trainer=request.user, pk=pk, tree=False)
    item = selectors.item_get(program=program, pk=item_pk)
    units = _units(request)
    exercises = list(selectors.exercises_for_trainer(trainer=request.user))
    if item.exercise not in exercises:
        exercises.append(item.exercise)
    from trainerhub.coaching.units import plain, weight_from_kg

    load = item.load_value
    if item.load_kind == "weight":
        load = weight_from_kg(load, units.weight_unit)
    step = item.progression_value
    if item.progression == "kg":
        step = weight_from_kg(step, units.weight_unit)
    initial = {
        "exercise": item.exercise_id,
        "sets": item.sets,
        "reps_min": item.reps_min,
        "reps_max": item.reps_max,
        "duration_seconds": item.duration_seconds,
        "distance_m": item.distance_m,
        "load_kind": item.load_kind,
        "load_value": plain(load) if load is not None else None,
        "tempo": item.tempo,
        "rest_seconds": item.rest_seconds,
        "group": item.group,
        "progression": item.progression,
        "progression_value": plain(step) if step is not None else None,
        "notes": item.notes,
    }
    form = ItemForm(
        request.POST or None, initial=initial, exercises=exercises, unit=units.weight_unit
    )
    if request.method == "POST":
        if request.POST.get("delete") == "1":
            services.item_delete(item=item)
            return _back(program)
        if form.is_valid():
            try:
                services.item_update(item=item, unit=units.weight_unit, **_item_data(form))
            except InvalidInput as exc:
                domain_errors_to_form(form, exc)
            else:
                return redirect(f"/coaching/programs/{program.pk}/#item-{item.pk}")
    return render(
        request,
        "coaching/item_form.html",
        {"form": form, "program": program, "item": item, "coaching_tab": "programs"},
        status=400 if form.errors else 200,
    )


@trainer_required
@require_POST
def program_reorder(request: TrainerHttpRequest, pk: int) -> HttpResponse:
    program = selectors.program_get_for_trainer(trainer=request.user, pk=pk, tree=False)
    try:
        body = json_body(request)
        if "days" in body:
            services.days_reorder(program=program, order=body["days"])
        if "items" in body:
            services.items_reorder(program=program, layout=body["items"])
    except InvalidInput as exc:
        return JsonResponse(exc.errors, status=400)
    return JsonResponse({"ok": True})


@trainer_required
@require_POST
def program_clone(request: TrainerHttpRequest, pk: int) -> HttpResponse:
    program = selectors.program_get_for_trainer(trainer=request.user, pk=pk, tree=False)
    copy = services.program_clone(program=program)
    messages.success(request, f"Copied to the template {copy.name}.")
    return redirect("coaching:program", copy.pk)


@trainer_required
@require_POST
def program_archive(request: TrainerHttpRequest, pk: int) -> HttpResponse:
    program = selectors.program_get_for_trainer(trainer=request.user, pk=pk, tree=False)
    archived = request.POST.get("archived") != "0"
    services.program_archive(program=program, archived=archived)
    messages.success(request, f"{program.name} {'archived' if archived else 'restored'}.")
    if program.client_id:
        return redirect("coaching:client", program.client_id)
    return redirect("coaching:home")


@trainer_required
@require_POST
def program_delete(request: TrainerHttpRequest, pk: int) -> HttpResponse:
    program = selectors.program_get_for_trainer(trainer=request.user, pk=pk, tree=False)
    try:
        services.program_delete(program=program)
    except InvalidInput as exc:
        messages.error(request, exc.detail)
        return _back(program)
    messages.success(request, f"Deleted {program.name}.")
    return redirect("coaching:home")


@trainer_required
@require_POST
def program_assign(request: TrainerHttpRequest, pk: int) -> HttpResponse:
    program = selectors.program_get_for_trainer(trainer=request.user, pk=pk)
    clients = client_selectors.clients_search(trainer=request.user)[:500]
    form = AssignForm(request.POST, clients=clients)
    if form.is_valid():
        try:
            copy = services.program_assign(
                program=program, trainer=request.user, **form.cleaned_data
            )
        except InvalidInput as exc:
            domain_errors_to_form(form, exc)
        else:
            messages.success(
                request,
                f"{copy.name} assigned to {copy.client}. Changes to their copy stay theirs.",
            )
            return redirect("coaching:program", copy.pk)
    ctx = _builder_context(request, program, assign_form=form)
    return render(request, "coaching/program.html", ctx, status=400)


@trainer_required
@require_POST
def program_schedule(request: TrainerHttpRequest, pk: int) -> HttpResponse:
    program = selectors.program_get_for_trainer(trainer=request.user, pk=pk)
    form = ScheduleForm(request.POST)
    if form.is_valid():
        try:
            services.program_schedule_update(program=program, **form.cleaned_data)
        except InvalidInput as exc:
            domain_errors_to_form(form, exc)
        else:
            messages.success(request, "Schedule saved.")
            return _back(program)
    ctx = _builder_context(request, program, schedule_form=form)
    return render(request, "coaching/program.html", ctx, status=400)


@trainer_required
@require_POST
def starter_add(request: TrainerHttpRequest) -> HttpResponse:
    try:
        program = services.starter_add(trainer=request.user, key=request.POST.get("key", ""))
    except InvalidInput as exc:
        messages.error(request, exc.detail)
        return redirect("coaching:home")
    messages.success(request, f"Added the starter template {program.name}; adapt it freely.")
    return redirect("coaching:program", program.pk)


# --- A client's coaching page ------------------------------------------------------------------


def client_page_context(request: TrainerHttpRequest, client: Any) -> dict[str, Any]:
    units = _units(request)
    today = timezone.localdate()
    workouts = selectors.workouts_for_client(client=client, limit=8)
    for w in workouts:
        w.lines = [  # type: ignore[attr-defined]
            (s, present.set_text(s, units.weight_unit), present.target_text(s, units.weight_unit))
            for s in w.set_rows  # type: ignore[attr-defined]
        ]
    programs = list(
        selectors.client_programs_for_trainer(trainer=request.user, client=client, archived=None)
    )
    progress = present.client_progress(client, units)
    customs = selectors.custom_measures(trainer=request.user)
    return {
        "client": client,
        "units": units,
        "adherence": selectors.adherence_for_client(client=client, today=today),
        "programs": programs,
        "workouts": workouts,
        "records": present.record_views(
            selectors.headline_records(client=client), units.weight_unit
        ),
        "photos": list(selectors.photos_for_client(client=client)[:60]),
        "measurement_form": MeasurementForm(customs=customs, initial={"date": today}),
        "photo_form": PhotoForm(initial={"date": today}),
        "link": services.link_for_client(client),
        "base": f"/coaching/clients/{client.pk}",
        "measurement_action": f"/coaching/clients/{client.pk}/measurements/",
        "photo_action": f"/coaching/clients/{client.pk}/photos/",
        "coaching_tab": "programs",
        **progress,
    }


@trainer_required
def client_page(request: TrainerHttpRequest, client_pk: int) -> HttpResponse:
    client = selectors.client_get_for_trainer(trainer=request.user, pk=client_pk)
    return render(request, "coaching/client.html", client_page_context(request, client))


def _saved(form: Any, save: Any) -> bool:
    """A valid form saved through the service; its refusals go next to the fields."""
    if not form.is_valid():
        return False
    try:
        save(form.cleaned_data)
    except InvalidInput as exc:
        domain_errors_to_form(form, exc)
        return False
    return True


def save_measurement(form: MeasurementForm, client: Any, by: str) -> bool:
    return _saved(
        form,
        lambda d: services.measurement_add(
            client=client, kind=d["kind"], value=d["value"], on=d["date"], custom=d["custom"], by=by
        ),
    )


def save_photo(form: PhotoForm, client: Any, by: str) -> bool:
    return _saved(
        form,
        lambda d: services.photo_add(
            client=client, upload=d["file"], pose=d["pose"], on=d["date"], by=by
        ),
    )


@trainer_required
@require_POST
def measurement_add(request: TrainerHttpRequest, client_pk: int) -> HttpResponse:
    client = selectors.client_get_for_trainer(trainer=request.user, pk=client_pk)
    form = MeasurementForm(request.POST, customs=selectors.custom_measures(trainer=request.user))
    if save_measurement(form, client, "trainer"):
        messages.success(request, "Measurement saved.")
        return redirect(f"/coaching/clients/{client.pk}/#progress")
    ctx = client_page_context(request, client)
    ctx["measurement_form"] = form
    return render(request, "coaching/client.html", ctx, status=400)


@trainer_required
@require_POST
def measurement_delete(request: TrainerHttpRequest, client_pk: int, pk: int) -> HttpResponse:
    client = selectors.client_get_for_trainer(trainer=request.user, pk=client_pk)
    services.measurement_delete(measurement=selectors.measurement_get(client=client, pk=pk))
    return redirect(f"/coaching/clients/{client.pk}/#progress")


@trainer_required
@require_POST
def photo_add(request: TrainerHttpRequest, client_pk: int) -> HttpResponse:
    client = selectors.client_get_for_trainer(trainer=request.user, pk=client_pk)
    form = PhotoForm(request.POST, request.FILES)
    if save_photo(form, client, "trainer"):
        messages.success(request, "Photo saved (its location and camera details removed).")
        return redirect(f"/coaching/clients/{client.pk}/#photos")
    ctx = client_page_context(request, client)
    ctx["photo_form"] = form
    return render(request, "coaching/client.html", ctx, status=400)


def photo_response(photo: Any) -> FileResponse:
    response = FileResponse(photo.file.open("rb"), content_type="image/jpeg")
    response["Cache-Control"] = "private, max-age=3600"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@trainer_required
def photo_file(request: TrainerHttpRequest, client_pk: int, pk: int) -> FileResponse:
    client = selectors.client_get_for_trainer(trainer=request.user, pk=client_pk)
    return photo_response(selectors.photo_get(client=client, pk=pk))


@trainer_required
@require_POST
def photo_delete(request: TrainerHttpRequest, client_pk: int, pk: int) -> HttpResponse:
    client = selectors.client_get_for_trainer(trainer=request.user, pk=client_pk)
    services.photo_delete(photo=selectors.photo_get(client=client, pk=pk))
    messages.success(request, "Photo deleted.")
    return redirect(f"/coaching/clients/{client.pk}/#photos")


@trainer_required
def photo_compare(request: TrainerHttpRequest, client_pk: int) -> HttpResponse:
    client = selectors.client_get_for_trainer(trainer=request.user, pk=client_pk)
    photos = list(selectors.photos_for_client(client=client))
    return render(
        request,
        "coaching/compare.html",
        _compare_context(request.GET, photos, client, base=f"/coaching/clients/{client.pk}"),
    )


def _compare_context(params: Any, photos: list[Any], client: Any, base: str) -> dict[str, Any]:
    dates = sorted({p.date for p in photos})
    poses = [p for p in ("front", "side", "back") if any(x.pose == p for x in photos)]
    pose = params.get("pose") if params.get("pose") in poses else (poses[0] if poses else "front")

    def pick(raw: str | None, default: Any) -> Any:
        return next((d for d in dates if d.isoformat() == raw), default)

    first = pick(params.get("a"), dates[0] if dates else None)
    second = pick(params.get("b"), dates[-1] if dates else None)

    def photo_on(day: Any) -> Any:
        return next((p for p in photos if p.date == day and p.pose == pose), None)

    return {
        "client": client,
        "dates": dates,
        "poses": poses,
        "pose": pose,
        "a": first,
        "b": second,
        "photo_a": photo_on(first),
        "photo_b": photo_on(second),
        "base": base,
    }


# --- Logging for a client (from the booking panel) ----------------------------------------------


@trainer_required
def trainer_workout(request: TrainerHttpRequest, client_pk: int) -> HttpResponse:
    client = selectors.client_get_for_trainer(trainer=request.user, pk=client_pk)
    ctx = workout_context(
        client=client,
        params=request.GET,
        log_url=f"/coaching/clients/{client.pk}/log/set",
        done_url=f"/coaching/clients/{client.pk}/log/done",
        page_url=f"/coaching/clients/{client.pk}/log/",
        by="trainer",
    )
    ctx["booking_id"] = request.GET.get("booking", "")
    return render(request, "coaching/workout.html", {**ctx, "trainer_view": True})


@trainer_required
@require_POST
def trainer_log_set(request: TrainerHttpRequest, client_pk: int) -> HttpResponse:
    client = selectors.client_get_for_trainer(trainer=request.user, pk=client_pk)
    booking = None
    raw_booking = json_body(request).get("booking") if request.body else None
    if raw_booking:
        from trainerhub.scheduling.selectors import booking_get_for_trainer

        booking = booking_get_for_trainer(trainer=request.user, pk=raw_booking)
        if booking.client_id != client.pk:
            booking = None
    return log_set_response(request, client=client, by="trainer", booking=booking)


@trainer_required
@require_POST
def trainer_log_done(request: TrainerHttpRequest, client_pk: int) -> HttpResponse:
    client = selectors.client_get_for_trainer(trainer=request.user, pk=client_pk)
    return _done(request, client)


def _done(request: Any, client: Any) -> HttpResponse:
    try:
        body = json_body(request)
        workout = services.workout_finish(
            client=client,
            workout_key=body.get("workout_key"),
            feel=body.get("feel"),
            notes=body.get("notes", ""),
        )
    except DomainError as exc:
        errors = exc.errors if isinstance(exc, InvalidInput) else {"non_field_errors": [exc.detail]}
        return JsonResponse(errors, status=400)
    return JsonResponse({"ok": True, "workout": workout.pk})


def dumps(value: Any) -> str:
    return json.dumps(value)
