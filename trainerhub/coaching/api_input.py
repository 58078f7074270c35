"""What the coaching API's write operations take, and the API's one input rule applied to
them: a field the operation does not take is a 400 naming it (one it only answers with is
named read-only), in the same answer as the service's own field messages, and nothing is
saved (trainerhub/core/api.py: UNKNOWN_FIELD, READ_ONLY_FIELD).

The services check the values (the pages call the same functions), so these serializers are
never asked to validate: they say which fields each body holds, with the services' limits,
for the OpenAPI document (`additionalProperties: false` on each, core/api.py) and for the key
check below. Nested objects (a program's days and their exercises, a workout's sets) are
checked too, their keys named as the services name theirs: `days[0].exercises[1].tempo`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any, TypeVar, cast

from django.db import transaction
from rest_framework import serializers
from rest_framework.request import Request

from trainerhub.coaching.models import (
    Category,
    CoachingSettings,
    Difficulty,
    Equipment,
    LoadKind,
    Measure,
    MeasureKind,
    Muscle,
    Progression,
    ProgressPhoto,
)
from trainerhub.coaching.services import (
    IDEMPOTENCY_MAX,
    MAX_DISTANCE_M,
    MAX_REPS,
    MAX_SECONDS,
    MAX_SETS,
    MAX_WEEKS,
)
from trainerhub.core.api import json_type_errors, unknown_field_errors
from trainerhub.core.errors import InvalidInput

T = TypeVar("T")

# The services' idempotency keys: letters, digits and - _ : . (services._key).
KEY_PATTERN = r"^[A-Za-z0-9_:.-]*$"
# services._exercise_values: a web address, or empty to clear it.
WEB_ADDRESS_PATTERN = r"^(https?://\S*)?$"


def _id(**kwargs: Any) -> serializers.IntegerField:
    return serializers.IntegerField(min_value=1, **kwargs)


def _answered() -> serializers.CharField:
    # In the answer only: named read-only when sent (and left out of the request's schema).
    return serializers.CharField(read_only=True)


def _decimal(low: str, high: Any, **kwargs: Any) -> serializers.DecimalField:
    return serializers.DecimalField(
        max_digits=9,
        decimal_places=2,
        min_value=Decimal(low),
        max_value=Decimal(high),
        required=False,
        **kwargs,
    )


def _whole(low: int, high: int, **kwargs: Any) -> serializers.IntegerField:
    return serializers.IntegerField(min_value=low, max_value=high, required=False, **kwargs)


def _text(limit: int, **kwargs: Any) -> serializers.CharField:
    return serializers.CharField(max_length=limit, required=False, allow_blank=True, **kwargs)


def _many(child: type[serializers.Serializer], most: int) -> serializers.ListSerializer:
    # null is an empty list to the services.
    return serializers.ListSerializer(
        child=child(), max_length=most, required=False, allow_null=True
    )


# --- Exercises -----------------------------------------------------------------------------


class ExerciseInSerializer(serializers.Serializer):
    """POST /exercises/ (name, category and primary_muscles required); PATCH: any of them."""

    name = serializers.CharField(max_length=120)
    category = serializers.ChoiceField(Category.choices)
    primary_muscles = serializers.ListField(
        child=serializers.ChoiceField(Muscle.choices), min_length=1
    )
    secondary_muscles = serializers.ListField(
        child=serializers.ChoiceField(Muscle.choices), required=False
    )
    equipment = serializers.ListField(
        child=serializers.ChoiceField(Equipment.choices), required=False
    )
    difficulty = serializers.ChoiceField(Difficulty.choices, required=False)
    measurement = serializers.ChoiceField(Measure.choices, required=False)
    instructions = _text(4000)
    video_url = serializers.RegexField(
        WEB_ADDRESS_PATTERN,
        max_length=500,
        required=False,
        allow_blank=True,
        allow_null=True,
        help_text="An https:// (or http://) address; empty or null clears it.",
    )
    id = _answered()
    builtin = _answered()


# --- Programs ------------------------------------------------------------------------------


class ProgramExerciseInSerializer(serializers.Serializer):
    exercise = _id(help_text="An exercise of the library (built in or yours).")
    sets = _whole(1, MAX_SETS, help_text="Default 3.")
    reps_min = _whole(1, MAX_REPS, allow_null=True)
    reps_max = _whole(1, MAX_REPS, allow_null=True)
    duration_seconds = _whole(1, MAX_SECONDS, allow_null=True)
    distance_m = _decimal("0.1", MAX_DISTANCE_M, allow_null=True)
    load_kind = serializers.ChoiceField(LoadKind.choices, required=False)
    load_value = _decimal(
        "0", "2000", allow_null=True, help_text="Required with a load_kind other than none."
    )
    unit = serializers.ChoiceField(
        CoachingSettings.WeightUnit.choices,
        required=False,
        help_text="The unit of load_value and progression_value in weight (default kg).",
    )
    tempo = _text(12)
    rest_seconds = _whole(0, 3600, allow_null=True)
    notes = _text(1000)
    group = serializers.RegexField(
        r"^[A-Za-z]{0,2}$",
        required=False,
        allow_blank=True,
        help_text="A letter shared by a superset or circuit (A, B...).",
    )
    progression = serializers.ChoiceField(Progression.choices, required=False)
    progression_value = _decimal("0.25", "50", allow_null=True)
    id = _answered()
    exercise_name = _answered()
    position = _answered()


class ProgramDayInSerializer(serializers.Serializer):
    name = _text(120, help_text='Default "Day 1", "Day 2"...')
    notes = _text(2000)
    exercises = _many(ProgramExerciseInSerializer, 40)
    id = _answered()
    position = _answered()


class ProgramInSerializer(serializers.Serializer):
    """POST /programs/: a template with its days; PATCH replaces the days when sent."""

    name = serializers.CharField(max_length=120)
    description = _text(4000)
    goal = _text(200)
    weeks = _whole(1, MAX_WEEKS, help_text="Default 4.")
    days = _many(ProgramDayInSerializer, 14)
    id = _answered()
    client = _answered()
    source = _answered()  # type: ignore[assignment]
    archived_at = _answered()
    created_at = _answered()
    updated_at = _answered()


class ProgramPatchSerializer(ProgramInSerializer):
    archived = serializers.BooleanField(required=False, help_text="Archive or restore.")
    # A template has no schedule; a client's copy does (ClientProgramPatchSerializer).
    start_date = _answered()
    weekdays = _answered()


class ClientProgramPatchSerializer(ProgramInSerializer):
    archived = serializers.BooleanField(required=False, help_text="Archive or restore.")
    start_date = serializers.DateField(required=False)
    weekdays = serializers.ListField(
        child=serializers.IntegerField(min_value=0, max_value=6),
        min_length=1,
        required=False,
        help_text="0 (Monday) to 6 (Sunday).",
    )


class ProgramAssignSerializer(serializers.Serializer):
    client = _id(help_text="One of your clients.")
    start_date = serializers.DateField()
    weekdays = serializers.ListField(
        child=serializers.IntegerField(min_value=0, max_value=6),
        min_length=1,
        help_text="0 (Monday) to 6 (Sunday).",
    )


# --- Workouts ------------------------------------------------------------------------------


class SetInSerializer(serializers.Serializer):
    item = _id(required=False, help_text="An exercise of the workout's program day...")
    exercise = _id(required=False, help_text="...or any exercise of the library.")
    set_number = _whole(1, MAX_SETS, help_text="Default 1.")
    reps = _whole(1, MAX_REPS, allow_null=True)
    weight = _decimal("0", "2000", allow_null=True, help_text="In kilograms.")
    duration_seconds = _whole(1, MAX_SECONDS, allow_null=True)
    distance_m = _decimal("0.1", MAX_DISTANCE_M, allow_null=True)
    rpe = _decimal("1", "10", allow_null=True)
    idempotency_key = serializers.RegexField(
        KEY_PATTERN, max_length=IDEMPOTENCY_MAX, required=False, allow_blank=True
    )
    id = _answered()
    weight_kg = _answered()
    target_reps = _answered()
    target_weight_kg = _answered()


class MyWorkoutInSerializer(serializers.Serializer):
    """A client's own log (POST /client/workouts/); the same keys store nothing twice."""

    program = _id(required=False, allow_null=True)
    day = _id(required=False, allow_null=True)
    date = serializers.DateField(required=False, allow_null=True, help_text="Default today.")
    feel = _whole(1, 5, allow_null=True)
    notes = _text(2000)
    completed = serializers.BooleanField(required=False, help_text="Default true.")
    idempotency_key = serializers.RegexField(
        KEY_PATTERN, max_length=IDEMPOTENCY_MAX, required=False, allow_blank=True
    )
    sets = _many(SetInSerializer, 300)
    id = _answered()
    week = _answered()
    logged_by = _answered()
    completed_at = _answered()


class WorkoutInSerializer(MyWorkoutInSerializer):
    """A trainer's log (POST /workouts/): whose, and optionally at which booking."""

    client = _id()
    booking = _id(required=False, allow_null=True)


# --- Progress ------------------------------------------------------------------------------


class MeasurementInSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(MeasureKind.choices)
    value = serializers.DecimalField(
        max_digits=9,
        decimal_places=2,
        min_value=Decimal("1"),
        max_value=Decimal("1000"),
        help_text="kg for weight (at most 1000), % for body_fat (at most 75), cm for the "
        "lengths (at most 400).",
    )
    date = serializers.DateField(required=False, help_text="Default today; not in the future.")
    custom = _id(required=False, allow_null=True, help_text="With kind custom: your measure.")
    id = _answered()
    custom_name = _answered()
    unit = _answered()
    by = _answered()


class PhotoInSerializer(serializers.Serializer):
    file = serializers.ImageField(help_text="JPEG, PNG or WebP; stored without its metadata.")
    pose = serializers.ChoiceField(ProgressPhoto.Pose.choices)
    date = serializers.DateField(required=False, help_text="Default today; not in the future.")
    id = _answered()
    width = _answered()
    height = _answered()
    by = _answered()
    url = _answered()


# --- The rule ------------------------------------------------------------------------------


def unknown_fields(
    serializer: serializers.Serializer, data: Any, prefix: str = ""
) -> dict[str, list[str]]:
    """Every key of `data`, nested objects included, that `serializer` does not take, or
    whose value has another JSON type than its field documents (null included)."""
    errors = {f"{prefix}{k}": v for k, v in unknown_field_errors(serializer, data).items()}
    if not isinstance(data, Mapping):
        return errors
    typed = json_type_errors(serializer, data, nulls=True)
    errors |= {f"{prefix}{k}": v for k, v in typed.items() if f"{prefix}{k}" not in errors}
    for name, field in serializer.fields.items():
        value = data.get(name)
        if isinstance(field, serializers.ListSerializer) and isinstance(value, list):
            for n, item in enumerate(value):
                child = cast(serializers.Serializer, field.child)
                errors.update(unknown_fields(child, item, f"{prefix}{name}[{n}]."))
        elif isinstance(field, serializers.Serializer) and isinstance(value, Mapping):
            errors.update(unknown_fields(field, value, f"{prefix}{name}."))
    return errors


def body(request: Request) -> dict[str, Any]:
    data = request.data
    if not isinstance(data, Mapping):
        raise InvalidInput({"non_field_errors": ["Send a JSON object."]})
    return dict(data.items())


class _TrialRun(Exception):
    def __init__(self, result: Any) -> None:
        self.result = result


def strictly(
    taken: type[serializers.Serializer],
    data: dict[str, Any],
    write: Callable[[dict[str, Any]], T],
    *,
    undo: Callable[[Any], None] | None = None,
) -> T:
    """`write(data)` when every field of `data` is one `taken` takes, with the JSON type it
    documents. Otherwise a 400 naming each such field together with the messages the write
    itself gives: the write runs in a
    savepoint that is rolled back whatever it did (its outbox rows and on-commit work go with
    it; `undo` cleans up what is not in the database, such as a stored file). `write` is
    given the fields `taken` takes only."""
    serializer = taken()
    refused = unknown_fields(serializer, data)
    if not refused:
        return write(data)
    known = {k: v for k, v in data.items() if k not in refused}
    try:
        with transaction.atomic():
            raise _TrialRun(write(known))
    except InvalidInput as exc:
        raise InvalidInput({**exc.errors, **refused}) from None
    except _TrialRun as trial:
        if undo is not None:
            undo(trial.result)
    raise InvalidInput(refused)
