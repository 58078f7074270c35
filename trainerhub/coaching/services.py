"""Writes of coaching: exercises, programs and their assignment, workout logs, measurements,
photos and records. Pages, API and tests all call these; every multi-row change is one
transaction and every refusal is an InvalidInput naming its field."""

from __future__ import annotations

import io
import uuid
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify

from trainerhub.clients.models import Client
from trainerhub.coaching import notify, records, selectors
from trainerhub.coaching.library import exercise_search_text
from trainerhub.coaching.models import (
    Category,
    ClientLink,
    CoachingSettings,
    CustomMeasure,
    Difficulty,
    Equipment,
    Exercise,
    HiddenExercise,
    LoadKind,
    Measure,
    MeasureKind,
    Measurement,
    Muscle,
    PersonalRecord,
    Program,
    ProgramDay,
    ProgramExercise,
    Progression,
    ProgressPhoto,
    SetLog,
    Workout,
    codes,
)
from trainerhub.coaching.schedule import week_of
from trainerhub.coaching.units import length_to_m, weight_to_kg
from trainerhub.core.errors import InvalidInput
from trainerhub.core.tenancy import TrainerRef, trainer_id_of

MAX_REPS = 1000
MAX_WEIGHT_KG = Decimal("1000")
MAX_SETS = 50
MAX_WEEKS = 52
MAX_SECONDS = 24 * 3600
MAX_DISTANCE_M = Decimal("500000")
IDEMPOTENCY_MAX = 64


class Errors:
    """Collects field messages; raises them together."""

    def __init__(self) -> None:
        self.errors: dict[str, list[str]] = {}

    def add(self, name: str, message: str) -> None:
        self.errors.setdefault(name, []).append(message)

    def raise_any(self) -> None:
        if self.errors:
            raise InvalidInput(self.errors)


def _text(
    data: dict[str, Any], name: str, limit: int, errors: Errors, required: bool = False
) -> str:
    raw = data.get(name, "")
    value = "" if raw is None else str(raw).strip()
    if required and not value:
        errors.add(name, "This field is required.")
    if len(value) > limit:
        errors.add(name, f"At most {limit} characters.")
    return value


def _choice(
    value: Any, choices: list[str], name: str, errors: Errors, required: bool = True
) -> str:
    text = "" if value is None else str(value)
    if not text and not required:
        return ""
    if text not in choices:
        errors.add(name, "Choose one of the listed options.")
    return text


def _choices(value: Any, choices: list[str], name: str, errors: Errors) -> list[str]:
    if value in (None, ""):
        return []
    if isinstance(value, str):
        value = value.replace(",", " ").split()
    if not isinstance(value, list | tuple):
        errors.add(name, "Send a list.")
        return []
    bad = [v for v in value if v not in choices]
    if bad:
        errors.add(name, f"Unknown: {', '.join(map(str, bad))}.")
    return list(dict.fromkeys(str(v) for v in value if v in choices))


def _whole(text: str) -> int:
    return int(text)


def _exact(text: str) -> Decimal:
    return Decimal(text.replace(",", "."))


def _number(
    value: Any, name: str, errors: Errors, *, low: Any, high: Any, required: bool, parse: Any
) -> Any:
    """`value` parsed (whole or exact decimal) and within [low, high]; else a message under
    `name` and None. Empty is None (or "required")."""
    if value in (None, ""):
        if required:
            errors.add(name, "This field is required.")
        return None
    try:
        if isinstance(value, bool):
            raise ValueError
        number = parse(str(value).strip())
    except (TypeError, ValueError, InvalidOperation):
        errors.add(name, "Enter a whole number." if parse is _whole else "Enter a number.")
        return None
    finite = not isinstance(number, Decimal) or number.is_finite()
    if not finite or not low <= number <= high:
        errors.add(name, f"Enter a number from {low} to {high}.")
        return None
    return number


def _int(
    value: Any, name: str, errors: Errors, *, low: int, high: int, required: bool = False
) -> int | None:
    result: int | None = _number(
        value, name, errors, low=low, high=high, required=required, parse=_whole
    )
    return result


def _decimal(
    value: Any, name: str, errors: Errors, *, low: Decimal, high: Decimal, required: bool = False
) -> Decimal | None:
    result: Decimal | None = _number(
        value, name, errors, low=low, high=high, required=required, parse=_exact
    )
    return result


def _date(value: Any, name: str, errors: Errors, *, required: bool = True) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if value in (None, ""):
        if required:
            errors.add(name, "This field is required.")
        return None
    try:
        parsed = date.fromisoformat(str(value))
    except ValueError:
        errors.add(name, "Enter a date as YYYY-MM-DD.")
        return None
    if not date(1900, 1, 1) <= parsed <= date(2200, 1, 1):
        errors.add(name, "Enter a real date.")
        return None
    return parsed


# --- Settings ------------------------------------------------------------------------------


def settings_update(*, trainer: TrainerRef, weight_unit: str, length_unit: str) -> CoachingSettings:
    errors = Errors()
    _choice(weight_unit, CoachingSettings.WeightUnit.values, "weight_unit", errors)
    _choice(length_unit, CoachingSettings.LengthUnit.values, "length_unit", errors)
    errors.raise_any()
    row, _ = CoachingSettings.objects.update_or_create(
        trainer_id=trainer_id_of(trainer),
        defaults={"weight_unit": weight_unit, "length_unit": length_unit},
    )
    return row


# --- Exercises -----------------------------------------------------------------------------

EXERCISE_FIELDS = (
    "name",
    "category",
    "primary_muscles",
    "secondary_muscles",
    "equipment",
    "difficulty",
    "measurement",
    "instructions",
    "video_url",
)


def _exercise_values(
    data: dict[str, Any], *, partial: bool, current: Exercise | None
) -> dict[str, Any]:
    errors = Errors()
    out: dict[str, Any] = {}
    if not partial or "name" in data:
        out["name"] = _text(data, "name", 120, errors, required=True)
    if not partial or "category" in data:
        out["category"] = _choice(data.get("category"), Category.values, "category", errors)
    if not partial or "difficulty" in data:
        out["difficulty"] = _choice(
            data.get("difficulty") or "beginner", Difficulty.values, "difficulty", errors
        )
    if not partial or "measurement" in data:
        out["measurement"] = _choice(
            data.get("measurement") or "reps_weight", Measure.values, "measurement", errors
        )
    for name, choices in (
        ("primary_muscles", Muscle.values),
        ("secondary_muscles", Muscle.values),
        ("equipment", Equipment.values),
    ):
        if not partial or name in data:
            out[name] = codes(_choices(data.get(name), choices, name, errors))
    if not partial or "instructions" in data:
        out["instructions"] = _text(data, "instructions", 4000, errors)
    if not partial or "video_url" in data:
        url = _text(data, "video_url", 500, errors)
        if url and not url.startswith(("https://", "http://")):
            errors.add("video_url", "Enter a web address starting with https://.")
        out["video_url"] = url
    if "primary_muscles" in out and not out["primary_muscles"]:
        errors.add("primary_muscles", "Choose at least one muscle group.")
    errors.raise_any()
    if "name" in out:
        out["search_text"] = exercise_search_text(out["name"])
    return out


def exercise_create(*, trainer: TrainerRef, **data: Any) -> Exercise:
    values = _exercise_values(data, partial=False, current=None)
    return Exercise.objects.create(trainer_id=trainer_id_of(trainer), **values)


def exercise_update(*, exercise: Exercise, **data: Any) -> Exercise:
    if exercise.is_builtin:
        raise InvalidInput("Built-in exercises cannot be changed; add your own instead.")
    values = _exercise_values(data, partial=True, current=exercise)
    for k, v in values.items():
        setattr(exercise, k, v)
    exercise.save()
    return exercise


def exercise_delete(*, exercise: Exercise) -> None:
    if exercise.is_builtin:
        raise InvalidInput("Built-in exercises cannot be deleted; hide them instead.")
    if (
        ProgramExercise.objects.filter(exercise=exercise).exists()
        or SetLog.objects.filter(exercise=exercise).exists()
    ):
        raise InvalidInput("This exercise is used in a program or a log; it cannot be deleted.")
    exercise.delete()


def exercise_set_hidden(*, trainer: TrainerRef, exercise: Exercise, hidden: bool) -> None:
    if not exercise.is_builtin:
        raise InvalidInput("Only built-in exercises can be hidden; delete your own instead.")
    if hidden:
        HiddenExercise.objects.get_or_create(trainer_id=trainer_id_of(trainer), exercise=exercise)
    else:
        HiddenExercise.objects.filter(trainer_id=trainer_id_of(trainer), exercise=exercise).delete()


# --- Programs ------------------------------------------------------------------------------


def _program_values(data: dict[str, Any], *, partial: bool) -> dict[str, Any]:
    errors = Errors()
    out: dict[str, Any] = {}
    if not partial or "name" in data:
        out["name"] = _text(data, "name", 120, errors, required=True)
    for name, limit in (("description", 4000), ("goal", 200)):
        if not partial or name in data:
            out[name] = _text(data, name, limit, errors)
    if not partial or "weeks" in data:
        weeks = _int(data.get("weeks", 4), "weeks", errors, low=1, high=MAX_WEEKS, required=True)
        out["weeks"] = weeks
    errors.raise_any()
    return out


def _item_values(
    trainer: TrainerRef, data: dict[str, Any], errors: Errors, prefix: str = ""
) -> dict[str, Any]:
    def f(name: str) -> str:
        return f"{prefix}{name}"

    out: dict[str, Any] = {}
    exercise_id = data.get("exercise")
    exercise = None
    try:
        exercise = selectors.exercise_get_for_trainer(trainer=trainer, pk=exercise_id)
    except Exception:  # Http404: another trainer's or no exercise
        errors.add(f("exercise"), "Choose an exercise from your library.")
    out["exercise"] = exercise
    out["sets"] = _int(data.get("sets", 3), f("sets"), errors, low=1, high=MAX_SETS, required=True)
    lo = _int(data.get("reps_min"), f("reps_min"), errors, low=1, high=MAX_REPS)
    hi = _int(data.get("reps_max"), f("reps_max"), errors, low=1, high=MAX_REPS)
    if lo is not None and hi is not None and hi < lo:
        errors.add(f("reps_max"), "The top of the range is below its bottom.")
    if lo is None and hi is not None:
        lo = hi
    out["reps_min"], out["reps_max"] = lo, hi if hi != lo else None
    out["duration_seconds"] = _int(
        data.get("duration_seconds"), f("duration_seconds"), errors, low=1, high=MAX_SECONDS
    )
    out["distance_m"] = _decimal(
        data.get("distance_m"), f("distance_m"), errors, low=Decimal("0.1"), high=MAX_DISTANCE_M
    )
    kind = _choice(data.get("load_kind") or "none", LoadKind.values, f("load_kind"), errors)
    out["load_kind"] = kind
    load = None
    raw_load = data.get("load_value")
    if kind == "weight":
        load = _decimal(
            raw_load, f("load_value"), errors, low=Decimal("0"), high=Decimal("2000"), required=True
        )
        unit = data.get("unit") or "kg"
        if load is not None:
            load = weight_to_kg(load, unit)
            if load > MAX_WEIGHT_KG:
                errors.add(f("load_value"), "That weight is beyond any lift.")
    elif kind == "percent_1rm":
        load = _decimal(
            raw_load, f("load_value"), errors, low=Decimal("1"), high=Decimal("120"), required=True
        )
    elif kind == "rpe":
        load = _decimal(
            raw_load, f("load_value"), errors, low=Decimal("1"), high=Decimal("10"), required=True
        )
    elif kind == "rir":
        load = _decimal(
            raw_load, f("load_value"), errors, low=Decimal("0"), high=Decimal("10"), required=True
        )
    out["load_value"] = load
    out["tempo"] = _text(data, "tempo", 12, errors) if "tempo" in data else ""
    out["rest_seconds"] = _int(
        data.get("rest_seconds"), f("rest_seconds"), errors, low=0, high=3600
    )
    out["notes"] = _text(data, "notes", 1000, errors) if "notes" in data else ""
    group = str(data.get("group") or "").strip().upper()[:2]
    if group and not group.isalpha():
        errors.add(f("group"), "Use a letter (A, B…) to group exercises.")
    out["group"] = group
    prog = _choice(data.get("progression") or "none", Progression.values, f("progression"), errors)
    out["progression"] = prog
    step = None
    if prog == "kg":
        step = _decimal(
            data.get("progression_value"),
            f("progression_value"),
            errors,
            low=Decimal("0.25"),
            high=Decimal("50"),
            required=True,
        )
        if step is not None:
            step = weight_to_kg(step, data.get("unit") or "kg")
        if kind != "weight":
            errors.add(f("progression"), "Adding weight needs a load in weight.")
    elif prog == "percent":
        step = _decimal(
            data.get("progression_value"),
            f("progression_value"),
            errors,
            low=Decimal("0.5"),
            high=Decimal("50"),
            required=True,
        )
        if kind not in ("weight", "percent_1rm"):
            errors.add(f("progression"), "Adding a percentage needs a weight or % of 1RM.")
    elif prog == "reps":
        step = _decimal(
            data.get("progression_value"),
            f("progression_value"),
            errors,
            low=Decimal("1"),
            high=Decimal("20"),
            required=True,
        )
        if lo is None:
            errors.add(f("progression"), "Adding reps needs a rep target.")
    out["progression_value"] = step
    if (
        exercise is not None
        and exercise.uses_reps
        and lo is None
        and out["duration_seconds"] is None
    ):
        errors.add(f("reps_min"), "Give the reps (or a time) for this exercise.")
    return out


def _create_tree(trainer_id: int, program: Program, days: list[dict[str, Any]]) -> None:
    for d_pos, day in enumerate(days):
        row = ProgramDay.objects.create(
            trainer_id=trainer_id,
            program=program,
            position=d_pos,
            name=day["name"],
            notes=day.get("notes", ""),
        )
        ProgramExercise.objects.bulk_create(
            [
                ProgramExercise(trainer_id=trainer_id, day=row, position=i_pos, **item)
                for i_pos, item in enumerate(day.get("items", []))
            ]
        )


def _clean_days(trainer: TrainerRef, days: Any, errors: Errors) -> list[dict[str, Any]]:
    if days in (None, ""):
        return []
    if not isinstance(days, list):
        errors.add("days", "Send a list of days.")
        return []
    if len(days) > 14:
        errors.add("days", "At most 14 days in a program.")
    out = []
    for d_i, day in enumerate(days):
        if not isinstance(day, dict):
            errors.add("days", "Each day is an object.")
            continue
        name = str(day.get("name") or "").strip() or f"Day {d_i + 1}"
        notes = str(day.get("notes") or "")
        # Refused, not cut short: what is saved is what was sent.
        for key, text, limit in (("name", name, 120), ("notes", notes, 2000)):
            if len(text) > limit:
                errors.add(f"days[{d_i}].{key}", f"At most {limit} characters.")
        items_in = day.get("exercises", day.get("items", []))
        items_in = [] if items_in is None else items_in
        if not isinstance(items_in, list) or len(items_in) > 40:
            errors.add(f"days[{d_i}].exercises", "Send a list of at most 40 exercises.")
            items_in = []
        items = []
        for i_i, item in enumerate(items_in):
            if not isinstance(item, dict):
                errors.add(f"days[{d_i}].exercises", "Each exercise is an object.")
                continue
            items.append(
                _item_values(trainer, item, errors, prefix=f"days[{d_i}].exercises[{i_i}].")
            )
        out.append({"name": name, "notes": notes, "items": items})
    return out


@transaction.atomic
def program_create(*, trainer: TrainerRef, days: Any = None, **data: Any) -> Program:
    values = _program_values(data, partial=False)
    errors = Errors()
    clean = _clean_days(trainer, days, errors)
    errors.raise_any()
    program = Program.objects.create(trainer_id=trainer_id_of(trainer), **values)
    _create_tree(program.trainer_id, program, clean)
    return program


@transaction.atomic
def program_update(*, program: Program, days: Any = None, **data: Any) -> Program:
    """Change the program's facts; with `days`, replace its whole tree (the API's nested
    write). A client's copy tells the client."""
    values = _program_values(data, partial=True)
    errors = Errors()
    clean = _clean_days(program.trainer_id, days, errors) if days is not None else None
    errors.raise_any()
    for k, v in values.items():
        setattr(program, k, v)
    program.save()
    if clean is not None:
        program.days.all().delete()
        _create_tree(program.trainer_id, program, clean)
    program_changed(program=program)
    return program


def program_changed(*, program: Program) -> None:
    """Touch the program and, for a client's copy, queue one "your program changed" message
    (at most one per program per hour)."""
    Program.objects.filter(pk=program.pk).update(updated_at=timezone.now())
    if program.client_id is not None and program.archived_at is None:
        notify.program_changed(program)


def _copy_tree(source: Program, target: Program) -> None:
    days = list(source.days.prefetch_related("items").order_by("position", "id"))
    for day in days:
        new_day = ProgramDay.objects.create(
            trainer_id=target.trainer_id,
            program=target,
            position=day.position,
            name=day.name,
            notes=day.notes,
        )
        ProgramExercise.objects.bulk_create(
            [
                ProgramExercise(
                    trainer_id=target.trainer_id,
                    day=new_day,
                    exercise_id=i.exercise_id,
                    position=i.position,
                    group=i.group,
                    sets=i.sets,
                    reps_min=i.reps_min,
                    reps_max=i.reps_max,
                    duration_seconds=i.duration_seconds,
                    distance_m=i.distance_m,
                    load_kind=i.load_kind,
                    load_value=i.load_value,
                    tempo=i.tempo,
                    rest_seconds=i.rest_seconds,
                    notes=i.notes,
                    progression=i.progression,
                    progression_value=i.progression_value,
                )
                for i in day.items.all()
            ]
        )


@transaction.atomic
def program_clone(*, program: Program, name: str = "") -> Program:
    """A new template with the same days and exercises (from a template or a client's copy)."""
    copy = Program.objects.create(
        trainer_id=program.trainer_id,
        name=(name or f"{program.name} (copy)")[:120],
        description=program.description,
        goal=program.goal,
        weeks=program.weeks,
    )
    _copy_tree(program, copy)
    return copy


def _weekdays(value: Any, errors: Errors) -> list[int]:
    if isinstance(value, str):
        value = value.replace(",", " ").split()
    if not isinstance(value, list | tuple) or not value:
        errors.add("weekdays", "Choose at least one weekday.")
        return []
    out = set()
    for v in value:
        try:
            day = int(v)
        except (TypeError, ValueError):
            day = -1
        if not 0 <= day <= 6:
            errors.add("weekdays", "Weekdays are 0 (Monday) to 6 (Sunday).")
            return []
        out.add(day)
    return sorted(out)


@transaction.atomic
def program_assign(
    *, program: Program, client: Any, start_date: Any, weekdays: Any, trainer: TrainerRef
) -> Program:
    """The client's own copy of the template: later edits of either never reach the other."""
    errors = Errors()
    if not program.is_template:
        errors.add("non_field_errors", "Assign a template; this program is a client's copy.")
    if program.archived_at is not None:
        errors.add("non_field_errors", "This template is archived; restore it first.")
    target: Client | None = None
    if isinstance(client, Client):
        target = client if client.trainer_id == trainer_id_of(trainer) else None
    else:
        try:
            target = selectors.client_get_for_trainer(trainer=trainer, pk=client)
        except Exception:
            target = None
    if target is None or target.erased_at is not None:
        errors.add("client", "Choose one of your clients.")
    start = _date(start_date, "start_date", errors)
    days = _weekdays(weekdays, errors)
    if not program.days.exists():
        errors.add("non_field_errors", "Add at least one day to the program first.")
    errors.raise_any()
    assert target is not None
    copy = Program.objects.create(
        trainer_id=program.trainer_id,
        name=program.name,
        description=program.description,
        goal=program.goal,
        weeks=program.weeks,
        client=target,
        source=program,
        start_date=start,
        weekdays=codes([str(d) for d in days]),
    )
    _copy_tree(program, copy)
    link_for_client(target)
    notify.program_assigned(copy)
    return copy


@transaction.atomic
def program_schedule_update(*, program: Program, start_date: Any, weekdays: Any) -> Program:
    errors = Errors()
    start = _date(start_date, "start_date", errors)
    days = _weekdays(weekdays, errors)
    errors.raise_any()
    program.start_date = start
    program.weekdays = codes([str(d) for d in days])
    program.save(update_fields=["start_date", "weekdays", "updated_at"])
    program_changed(program=program)
    return program


def program_archive(*, program: Program, archived: bool = True) -> Program:
    program.archived_at = timezone.now() if archived else None
    program.save(update_fields=["archived_at", "updated_at"])
    return program


@transaction.atomic
def program_delete(*, program: Program) -> None:
    if program.is_template and program.copies.exists():
        raise InvalidInput("Clients follow copies of this template: archive it instead.")
    if Workout.objects.filter(program=program).exists():
        raise InvalidInput("Workouts were logged on this program: archive it instead.")
    program.delete()


def day_add(*, program: Program, name: str, notes: str = "") -> ProgramDay:
    errors = Errors()
    name = _text({"name": name}, "name", 120, errors, required=True)
    notes = _text({"notes": notes}, "notes", 2000, errors)
    if program.days.count() >= 14:
        errors.add("name", "At most 14 days in a program.")
    errors.raise_any()
    position = program.days.count()
    day = ProgramDay.objects.create(
        trainer_id=program.trainer_id, program=program, position=position, name=name, notes=notes
    )
    program_changed(program=program)
    return day


def day_update(*, day: ProgramDay, name: str, notes: str = "") -> ProgramDay:
    errors = Errors()
    day.name = _text({"name": name}, "name", 120, errors, required=True)
    day.notes = _text({"notes": notes}, "notes", 2000, errors)
    errors.raise_any()
    day.save()
    program_changed(program=day.program)
    return day


@transaction.atomic
def day_delete(*, day: ProgramDay) -> None:
    program = day.program
    day.delete()
    for i, d in enumerate(program.days.order_by("position", "id")):
        if d.position != i:
            ProgramDay.objects.filter(pk=d.pk).update(position=i)
    program_changed(program=program)


@transaction.atomic
def item_add(*, day: ProgramDay, unit: str = "kg", **data: Any) -> ProgramExercise:
    errors = Errors()
    values = _item_values(day.trainer_id, {**data, "unit": unit}, errors)
    if day.items.count() >= 40:
        errors.add("exercise", "At most 40 exercises in a day.")
    errors.raise_any()
    item = ProgramExercise.objects.create(
        trainer_id=day.trainer_id, day=day, position=day.items.count(), **values
    )
    program_changed(program=day.program)
    return item


@transaction.atomic
def item_update(*, item: ProgramExercise, unit: str = "kg", **data: Any) -> ProgramExercise:
    errors = Errors()
    merged = {
        "exercise": item.exercise_id,
        "sets": item.sets,
        "reps_min": item.reps_min,
        "reps_max": item.reps_max,
        "duration_seconds": item.duration_seconds,
        "distance_m": item.distance_m,
        "load_kind": item.load_kind,
        "tempo": item.tempo,
        "rest_seconds": item.rest_seconds,
        "notes": item.notes,
        "group": item.group,
        "progression": item.progression,
        **data,
    }
    if "load_value" not in data:
        merged["load_value"] = item.load_value
        merged.setdefault("unit", "kg")
    else:
        merged["unit"] = unit
    if "progression_value" not in data:
        merged["progression_value"] = item.progression_value
    values = _item_values(item.trainer_id, merged, errors)
    errors.raise_any()
    for k, v in values.items():
        setattr(item, k, v)
    item.save()
    program_changed(program=item.day.program)
    return item


@transaction.atomic
def item_delete(*, item: ProgramExercise) -> None:
    day = item.day
    item.delete()
    for i, row in enumerate(day.items.order_by("position", "id")):
        if row.position != i:
            ProgramExercise.objects.filter(pk=row.pk).update(position=i)
    program_changed(program=day.program)


@transaction.atomic
def items_reorder(*, program: Program, layout: Any) -> None:
    """`layout`: {day id: [item id, ...]} as dragged; an item may move to another day."""
    if not isinstance(layout, dict):
        raise InvalidInput({"order": ["Send the days and their exercises in order."]})
    day_ids = set(program.days.values_list("pk", flat=True))
    item_ids = set(
        ProgramExercise.objects.filter(day__program=program).values_list("pk", flat=True)
    )
    seen: set[int] = set()
    plan: list[tuple[int, int, int]] = []
    for raw_day, raw_items in layout.items():
        try:
            day_id = int(raw_day)
            ids = [int(i) for i in raw_items]
        except (TypeError, ValueError):
            raise InvalidInput({"order": ["Send ids only."]}) from None
        if day_id not in day_ids or not set(ids) <= item_ids or seen & set(ids):
            raise InvalidInput({"order": ["That order names exercises of another program."]})
        seen |= set(ids)
        plan.extend((pk, day_id, pos) for pos, pk in enumerate(ids))
    if seen != item_ids:
        raise InvalidInput({"order": ["Send every exercise of the program once."]})
    for pk, day_id, pos in plan:
        ProgramExercise.objects.filter(pk=pk).update(day_id=day_id, position=pos)
    program_changed(program=program)


@transaction.atomic
def days_reorder(*, program: Program, order: Any) -> None:
    ids = [int(i) for i in order] if isinstance(order, list) else None
    if ids is None or sorted(ids) != sorted(program.days.values_list("pk", flat=True)):
        raise InvalidInput({"order": ["Send every day of the program once."]})
    for pos, pk in enumerate(ids):
        ProgramDay.objects.filter(pk=pk).update(position=pos)
    program_changed(program=program)


def starter_add(*, trainer: TrainerRef, key: str) -> Program:
    from trainerhub.coaching.data.starters import STARTERS

    starter = STARTERS.get(key)
    if starter is None:
        raise InvalidInput({"key": ["Choose one of the starter templates."]})
    by_key = {
        e.key: e.pk for e in Exercise.objects.filter(trainer__isnull=True, key__in=starter.keys())
    }
    days = [
        {
            "name": day_name,
            "exercises": [
                {**item, "exercise": by_key.get(slugify(item["exercise"]))} for item in items
            ],
        }
        for day_name, items in starter.days
    ]
    return program_create(
        trainer=trainer,
        name=starter.name,
        description=starter.description,
        goal=starter.goal,
        weeks=starter.weeks,
        days=days,
    )


# --- The client's link ---------------------------------------------------------------------


def link_for_client(client: Client) -> ClientLink:
    link, _ = ClientLink.objects.get_or_create(
        client=client, defaults={"trainer_id": client.trainer_id}
    )
    return link


def link_reset(client: Client) -> ClientLink:
    ClientLink.objects.filter(client=client).delete()
    return link_for_client(client)


# --- Workouts ------------------------------------------------------------------------------


@dataclass(frozen=True)
class SetInput:
    exercise: Exercise
    item: ProgramExercise | None
    set_number: int
    reps: int | None
    weight_kg: Decimal | None
    duration_seconds: int | None
    distance_m: Decimal | None
    rpe: Decimal | None
    key: str


def _key(value: Any, name: str, errors: Errors) -> str:
    text = str(value or "").strip()
    if not text:
        return uuid.uuid4().hex
    if len(text) > IDEMPOTENCY_MAX or not all(c.isalnum() or c in "-_:." for c in text):
        errors.add(name, "Send a key of letters, digits and dashes (at most 64).")
    return text


def _set_input(
    client: Client,
    program: Program | None,
    data: Any,
    errors: Errors,
    prefix: str,
    unit: str,
    items: dict[int, ProgramExercise],
) -> SetInput | None:
    def f(name: str) -> str:
        return f"{prefix}{name}"

    if not isinstance(data, dict):
        errors.add(prefix.rstrip("."), "Each set is an object.")
        return None
    item = None
    if data.get("item") not in (None, ""):
        try:
            item = items.get(int(data["item"]))
        except (TypeError, ValueError):
            item = None
        if item is None:
            errors.add(f("item"), "This exercise is not in the client's program.")
    exercise: Exercise | None = item.exercise if item else None
    if exercise is None:
        try:
            exercise = selectors.exercise_get_for_trainer(
                trainer=client.trainer_id, pk=data.get("exercise")
            )
        except Exception:
            errors.add(f("exercise"), "Choose an exercise from the library.")
    set_number = _int(
        data.get("set_number", 1), f("set_number"), errors, low=1, high=MAX_SETS, required=True
    )
    reps = _int(data.get("reps"), f("reps"), errors, low=1, high=MAX_REPS)
    weight = _decimal(
        data.get("weight"), f("weight"), errors, low=Decimal("0"), high=Decimal("2000")
    )
    weight_kg = weight_to_kg(weight, unit) if weight is not None else None
    if weight_kg is not None and weight_kg > MAX_WEIGHT_KG:
        errors.add(f("weight"), "That weight is beyond any lift.")
    seconds = _int(
        data.get("duration_seconds"), f("duration_seconds"), errors, low=1, high=MAX_SECONDS
    )
    distance = _decimal(
        data.get("distance_m"), f("distance_m"), errors, low=Decimal("0.1"), high=MAX_DISTANCE_M
    )
    rpe = _decimal(data.get("rpe"), f("rpe"), errors, low=Decimal("1"), high=Decimal("10"))
    if (
        reps is None
        and seconds is None
        and distance is None
        and "reps" not in errors.errors.get(f("reps"), [])
    ) and f("reps") not in errors.errors:
        errors.add(f("reps"), "Log the reps, a time or a distance.")
    key = _key(data.get("idempotency_key"), f("idempotency_key"), errors)
    if exercise is None or set_number is None:
        return None
    return SetInput(exercise, item, set_number, reps, weight_kg, seconds, distance, rpe, key)


def _program_for_log(client: Client, program: Any, errors: Errors) -> Program | None:
    if program in (None, ""):
        return None
    if isinstance(program, Program):
        row = program if program.client_id == client.pk else None
    else:
        try:
            row = selectors.client_program_get(client=client, pk=program)
        except Exception:
            row = None
    if row is None:
        errors.add("program", "This is not one of the client's programs.")
    return row


@transaction.atomic
def workout_log(
    *,
    client: Client,
    sets: Any,
    idempotency_key: Any = "",
    program: Any = None,
    day: Any = None,
    on: Any = None,
    feel: Any = None,
    notes: Any = "",
    completed: bool = True,
    by: str = "client",
    booking: Any = None,
    unit: str | None = None,
) -> tuple[Workout, bool]:
    """Log a workout with its sets; the same idempotency key (of the workout or of a set)
    stores it once. Returns the workout and whether anything new was stored."""
    errors = Errors()
    unit = unit or selectors.settings_for(trainer=client.trainer_id).weight_unit
    key = _key(idempotency_key, "idempotency_key", errors)
    prog = _program_for_log(client, program, errors)
    day_row = None
    if day not in (None, ""):
        try:
            day_row = selectors.day_get(program=prog, pk=day) if prog else None
        except Exception:
            day_row = None
        if day_row is None:
            errors.add("day", "This day is not part of the program.")
    when = _date(on, "date", errors, required=False) or timezone.localdate()
    if when > timezone.localdate():
        errors.add("date", "A workout cannot be logged in the future.")
    feel_n = _int(feel, "feel", errors, low=1, high=5)
    note = _text({"notes": notes}, "notes", 2000, errors)
    if not isinstance(sets, list) or len(sets) > 300:
        errors.add("sets", "Send a list of at most 300 sets.")
        sets = []
    items = (
        {
            i.pk: i
            for i in ProgramExercise.objects.filter(day__program=prog).select_related("exercise")
        }
        if prog
        else {}
    )
    clean = [
        s
        for n, raw in enumerate(sets)
        if (s := _set_input(client, prog, raw, errors, f"sets[{n}].", unit, items)) is not None
    ]
    errors.raise_any()
    workout = Workout.objects.filter(trainer_id=client.trainer_id, idempotency_key=key).first()
    created = False
    if workout is not None and workout.client_id != client.pk:
        raise InvalidInput({"idempotency_key": ["This key belongs to another workout."]})
    if workout is None:
        workout = Workout.objects.create(
            trainer_id=client.trainer_id,
            client=client,
            program=prog,
            day=day_row,
            booking=booking,
            date=when,
            week=week_of(prog.start_date, when) if prog else 1,
            logged_by=by,
            feel=feel_n,
            notes=note,
            completed_at=timezone.now() if completed else None,
            idempotency_key=key,
        )
        created = True
    stored = _store_sets(workout, clean)
    return workout, created or stored > 0


def _store_sets(workout: Workout, sets: list[SetInput]) -> int:
    """Each set once by its key (a retried set, a duplicate in the queue: nothing new)."""
    if not sets:
        return 0
    keys = [s.key for s in sets]
    existing = set(
        SetLog.objects.filter(trainer_id=workout.trainer_id, idempotency_key__in=keys).values_list(
            "idempotency_key", flat=True
        )
    )
    rows = []
    for s in sets:
        if s.key in existing:
            continue
        existing.add(s.key)
        target_reps, target_kg = _target(s.item, workout)
        rows.append(
            SetLog(
                trainer_id=workout.trainer_id,
                workout=workout,
                client_id=workout.client_id,
                exercise=s.exercise,
                item=s.item,
                date=workout.date,
                set_number=s.set_number,
                reps=s.reps,
                weight_kg=s.weight_kg,
                duration_seconds=s.duration_seconds,
                distance_m=s.distance_m,
                rpe=s.rpe,
                target_reps=target_reps,
                target_weight_kg=target_kg,
                idempotency_key=s.key,
            )
        )
    if not rows:
        return 0
    try:
        with transaction.atomic():
            SetLog.objects.bulk_create(rows)
    except IntegrityError:
        # Another request stored the same key in between: store the rest one by one.
        stored = 0
        for row in rows:
            try:
                with transaction.atomic():
                    row.save()
                stored += 1
            except IntegrityError:
                pass
        records_refresh(
            client_id=workout.client_id,
            trainer_id=workout.trainer_id,
            exercise_ids={r.exercise_id for r in rows},
        )
        return stored
    records_refresh(
        client_id=workout.client_id,
        trainer_id=workout.trainer_id,
        exercise_ids={r.exercise_id for r in rows},
    )
    return len(rows)


def _target(item: ProgramExercise | None, workout: Workout) -> tuple[int | None, Decimal | None]:
    if item is None:
        return None, None
    from trainerhub.coaching.progression import expand_item

    weeks = expand_item(item, max(workout.week, 1))
    target = weeks[-1]
    kg = target.load_value if item.load_kind == "weight" else None
    return target.reps_max or target.reps_min, kg


@transaction.atomic
def set_log(
    *,
    client: Client,
    workout_key: Any,
    program: Any,
    day: Any,
    on: Any = None,
    by: str = "client",
    booking: Any = None,
    **set_data: Any,
) -> tuple[SetLog, bool]:
    """One set tapped in the workout page (its own idempotency key): the workout is opened
    on the first set."""
    workout, _ = workout_log(
        client=client,
        sets=[],
        idempotency_key=workout_key,
        program=program,
        day=day,
        on=on,
        completed=False,
        by=by,
        booking=booking,
    )
    before = SetLog.objects.filter(
        trainer_id=client.trainer_id, idempotency_key=set_data.get("idempotency_key") or "-"
    ).first()
    if before is not None:
        return before, False
    errors = Errors()
    items = (
        {
            i.pk: i
            for i in ProgramExercise.objects.filter(
                day__program_id=workout.program_id
            ).select_related("exercise")
        }
        if workout.program_id
        else {}
    )
    unit = selectors.settings_for(trainer=client.trainer_id).weight_unit
    clean = _set_input(client, workout.program, set_data, errors, "", unit, items)
    errors.raise_any()
    assert clean is not None
    _store_sets(workout, [clean])
    return SetLog.objects.get(trainer_id=client.trainer_id, idempotency_key=clean.key), True


def set_unlog(*, client: Client, idempotency_key: str) -> int:
    rows = SetLog.objects.filter(client=client, idempotency_key=str(idempotency_key)[:64])
    exercise_ids = set(rows.values_list("exercise_id", flat=True))
    deleted = rows.delete()[0]
    if exercise_ids:
        records_refresh(
            client_id=client.pk,
            trainer_id=client.trainer_id,
            exercise_ids=exercise_ids,
            rebuild=True,
        )
    return deleted


@transaction.atomic
def workout_finish(
    *, client: Client, workout_key: Any, feel: Any = None, notes: Any = ""
) -> Workout:
    errors = Errors()
    feel_n = _int(feel, "feel", errors, low=1, high=5)
    note = _text({"notes": notes}, "notes", 2000, errors)
    workout = Workout.objects.filter(
        client=client, idempotency_key=str(workout_key or "")[:64]
    ).first()
    if workout is None:
        errors.add("non_field_errors", "Log at least one set first.")
    errors.raise_any()
    assert workout is not None
    workout.feel = feel_n
    workout.notes = note
    workout.completed_at = workout.completed_at or timezone.now()
    workout.save(update_fields=["feel", "notes", "completed_at"])
    return workout


# --- Records -------------------------------------------------------------------------------


def records_refresh(
    *, client_id: int, trainer_id: int, exercise_ids: set[int], rebuild: bool = False
) -> list[PersonalRecord]:
    """Recompute the client's records on these exercises from all their sets; the records
    that are new or better than before (to celebrate)."""
    sets = [
        records.SetFacts(
            id=s["id"],
            exercise_id=s["exercise_id"],
            date=s["date"],
            reps=s["reps"],
            weight_kg=s["weight_kg"],
            duration_seconds=s["duration_seconds"],
            distance_m=s["distance_m"],
        )
        for s in SetLog.objects.filter(client_id=client_id, exercise_id__in=exercise_ids).values(
            "id", "exercise_id", "date", "reps", "weight_kg", "duration_seconds", "distance_m"
        )
    ]
    best = records.detect(sets)
    current = {
        (r.exercise_id, r.kind, r.key): r
        for r in PersonalRecord.objects.filter(client_id=client_id, exercise_id__in=exercise_ids)
    }
    improved = []
    for k, b in best.items():
        row = current.pop(k, None)
        if row is None:
            row = PersonalRecord.objects.create(
                trainer_id=trainer_id,
                client_id=client_id,
                exercise_id=k[0],
                kind=k[1],
                key=k[2],
                value=b.value,
                set_log_id=b.set_id,
                achieved_on=b.date,
            )
            improved.append(row)
        elif row.value != b.value or row.set_log_id != b.set_id:
            better = row.value != b.value
            row.value, row.set_log_id, row.achieved_on = b.value, b.set_id, b.date
            if better and not rebuild:
                row.celebrated_at = None
                improved.append(row)
            row.save()
    if current:
        PersonalRecord.objects.filter(pk__in=[r.pk for r in current.values()]).delete()
    return improved


def records_celebrated(*, client: Client) -> int:
    return PersonalRecord.objects.filter(client=client, celebrated_at__isnull=True).update(
        celebrated_at=timezone.now()
    )


# --- Measurements and photos ---------------------------------------------------------------

PERCENT_KINDS = {MeasureKind.BODY_FAT}


def measurement_add(
    *,
    client: Client,
    kind: Any,
    value: Any,
    on: Any = None,
    custom: Any = None,
    by: str = "trainer",
    units: CoachingSettings | None = None,
) -> Measurement:
    errors = Errors()
    units = units or selectors.settings_for(trainer=client.trainer_id)
    kind = _choice(kind, MeasureKind.values, "kind", errors)
    when = _date(on, "date", errors, required=False) or timezone.localdate()
    if when > timezone.localdate():
        errors.add("date", "A measurement cannot be in the future.")
    custom_row = None
    if kind == MeasureKind.CUSTOM:
        custom_row = CustomMeasure.objects.filter(
            trainer_id=client.trainer_id, pk=_safe_int(custom)
        ).first()
        if custom_row is None:
            errors.add("custom", "Choose one of your own measurements.")
    if kind == MeasureKind.WEIGHT:
        number = _decimal(
            value, "value", errors, low=Decimal("1"), high=Decimal("1000"), required=True
        )
        stored = weight_to_kg(number, units.weight_unit) if number is not None else None
    elif kind in PERCENT_KINDS:
        stored = _decimal(
            value, "value", errors, low=Decimal("1"), high=Decimal("75"), required=True
        )
    else:
        number = _decimal(
            value, "value", errors, low=Decimal("1"), high=Decimal("400"), required=True
        )
        stored = length_to_m(number, units.length_unit) if number is not None else None
    errors.raise_any()
    assert stored is not None
    row = Measurement.objects.create(
        trainer_id=client.trainer_id,
        client=client,
        date=when,
        kind=kind,
        custom=custom_row,
        value=stored,
        by=by,
    )
    return row


def measurement_delete(*, measurement: Measurement) -> None:
    measurement.delete()


def custom_measure_add(*, trainer: TrainerRef, name: str) -> CustomMeasure:
    errors = Errors()
    name = _text({"name": name}, "name", 60, errors, required=True)
    if (
        name
        and CustomMeasure.objects.filter(
            trainer_id=trainer_id_of(trainer), name__iexact=name
        ).exists()
    ):
        errors.add("name", "You already track this measurement.")
    errors.raise_any()
    return CustomMeasure.objects.create(trainer_id=trainer_id_of(trainer), name=name)


def _safe_int(value: Any) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


def max_photo_bytes() -> int:
    return int(getattr(settings, "MAX_UPLOAD_MB", 10)) * 1024 * 1024


def clean_image(data: bytes) -> tuple[bytes, int, int]:
    """The picture re-encoded as JPEG without its metadata (EXIF, GPS, camera, comments),
    turned upright by its orientation tag first; not an image: InvalidInput."""
    from PIL import Image, ImageOps, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(data)) as probe:
            probe.verify()
        with Image.open(io.BytesIO(data)) as img:
            if img.width * img.height > 60_000_000:
                raise InvalidInput({"file": ["This picture is too large."]})
            upright = ImageOps.exif_transpose(img) or img
            rgb = upright.convert("RGB")
            rgb.thumbnail((2400, 2400))
            clean = Image.new("RGB", rgb.size)
            clean.paste(rgb)
            out = io.BytesIO()
            clean.save(out, "JPEG", quality=88, optimize=True)
            return out.getvalue(), clean.width, clean.height
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise InvalidInput({"file": ["Upload a photo (JPEG, PNG or WebP)."]}) from None


def photo_add(
    *, client: Client, upload: Any, pose: Any, on: Any = None, by: str = "trainer"
) -> ProgressPhoto:
    errors = Errors()
    pose = _choice(pose, ProgressPhoto.Pose.values, "pose", errors)
    when = _date(on, "date", errors, required=False) or timezone.localdate()
    if when > timezone.localdate():
        errors.add("date", "A photo cannot be dated in the future.")
    data = b""
    if upload is None:
        errors.add("file", "Choose a photo.")
    elif getattr(upload, "size", 0) > max_photo_bytes():
        errors.add("file", f"The photo is over {settings.MAX_UPLOAD_MB} MB.")
    else:
        data = upload.read()
    errors.raise_any()
    jpeg, width, height = clean_image(data)
    row = ProgressPhoto(
        trainer_id=client.trainer_id,
        client=client,
        date=when,
        pose=pose,
        width=width,
        height=height,
        by=by,
    )
    row.file.save("photo.jpg", ContentFile(jpeg), save=False)
    try:
        row.save()
    except Exception:
        row.file.delete(save=False)
        raise
    return row


def photo_delete(*, photo: ProgressPhoto) -> None:
    storage, name = photo.file.storage, photo.file.name
    photo.delete()
    transaction.on_commit(lambda: storage.delete(name) if name else None)
