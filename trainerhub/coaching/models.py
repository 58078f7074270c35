"""Coaching: the exercise library, programs (templates and each client's own copy), the
workouts a client logs, measurements, progress photos and personal records.

Weights are stored in kilograms, lengths in metres (SI); pages show them in the trainer's
units (`CoachingSettings`). Built-in exercises have no trainer; every other row belongs to one.
"""

from __future__ import annotations

import secrets
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q

from trainerhub.core.tenancy import TrainerOwned


class Category(models.TextChoices):
    STRENGTH = "strength", "Strength"
    CARDIO = "cardio", "Cardio"
    MOBILITY = "mobility", "Mobility / flexibility"
    PLYOMETRICS = "plyometrics", "Plyometrics"
    CORE = "core", "Core"
    WARMUP = "warmup", "Warm-up"


class Muscle(models.TextChoices):
    CHEST = "chest", "Chest"
    UPPER_BACK = "upper_back", "Upper back"
    LATS = "lats", "Lats"
    LOWER_BACK = "lower_back", "Lower back"
    SHOULDERS = "shoulders", "Shoulders"
    BICEPS = "biceps", "Biceps"
    TRICEPS = "triceps", "Triceps"
    FOREARMS = "forearms", "Forearms"
    ABS = "abs", "Abs"
    OBLIQUES = "obliques", "Obliques"
    GLUTES = "glutes", "Glutes"
    QUADS = "quads", "Quadriceps"
    HAMSTRINGS = "hamstrings", "Hamstrings"
    CALVES = "calves", "Calves"
    HIP_FLEXORS = "hip_flexors", "Hip flexors"
    ADDUCTORS = "adductors", "Adductors"


class Equipment(models.TextChoices):
    BARBELL = "barbell", "Barbell"
    DUMBBELL = "dumbbell", "Dumbbell"
    KETTLEBELL = "kettlebell", "Kettlebell"
    MACHINE = "machine", "Machine"
    CABLE = "cable", "Cable"
    BANDS = "bands", "Bands"
    BODYWEIGHT = "bodyweight", "Body weight"
    BENCH = "bench", "Bench"
    PULLUP_BAR = "pullup_bar", "Pull-up bar"
    MEDICINE_BALL = "medicine_ball", "Medicine ball"
    TRX = "trx", "TRX / suspension"
    CARDIO_MACHINE = "cardio_machine", "Cardio machine"
    BOX = "box", "Plyo box / step"
    MAT = "mat", "Mat"


class Difficulty(models.TextChoices):
    BEGINNER = "beginner", "Beginner"
    INTERMEDIATE = "intermediate", "Intermediate"
    ADVANCED = "advanced", "Advanced"


class Measure(models.TextChoices):
    REPS = "reps", "Reps"
    REPS_WEIGHT = "reps_weight", "Reps + weight"
    TIME = "time", "Time"
    DISTANCE = "distance", "Distance"
    TIME_DISTANCE = "time_distance", "Time + distance"


def codes(values: list[str] | tuple[str, ...]) -> str:
    """Choice codes as one searchable column: ',chest,triceps,' (empty: '')."""
    return f",{','.join(values)}," if values else ""


def uncodes(text: str) -> list[str]:
    return [v for v in (text or "").split(",") if v]


class Exercise(models.Model):
    """One exercise: built in (trainer is empty, shipped by a data migration) or a trainer's."""

    trainer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    key = models.SlugField(max_length=80, blank=True)  # built-ins: a stable name
    name = models.CharField(max_length=120)
    category = models.CharField(max_length=12, choices=Category.choices)
    primary_muscles = models.CharField(max_length=200, blank=True)
    secondary_muscles = models.CharField(max_length=200, blank=True)
    equipment = models.CharField(max_length=200, blank=True)
    difficulty = models.CharField(max_length=12, choices=Difficulty.choices)
    measurement = models.CharField(max_length=14, choices=Measure.choices)
    instructions = models.TextField(max_length=4000, blank=True)
    video_url = models.URLField(max_length=500, blank=True)
    search_text = models.CharField(max_length=300, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "id"]
        indexes = [models.Index(fields=["trainer", "name"])]
        constraints = [
            models.UniqueConstraint(
                fields=["key"], condition=Q(trainer__isnull=True), name="exercise_builtin_key"
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_builtin(self) -> bool:
        return self.trainer_id is None

    @property
    def primary_list(self) -> list[str]:
        return uncodes(self.primary_muscles)

    @property
    def secondary_list(self) -> list[str]:
        return uncodes(self.secondary_muscles)

    @property
    def equipment_list(self) -> list[str]:
        return uncodes(self.equipment)

    @property
    def primary_labels(self) -> list[str]:
        return [Muscle(m).label for m in self.primary_list if m in Muscle.values]

    @property
    def secondary_labels(self) -> list[str]:
        return [Muscle(m).label for m in self.secondary_list if m in Muscle.values]

    @property
    def equipment_labels(self) -> list[str]:
        return [Equipment(e).label for e in self.equipment_list if e in Equipment.values]

    @property
    def uses_weight(self) -> bool:
        return self.measurement == Measure.REPS_WEIGHT

    @property
    def uses_reps(self) -> bool:
        return self.measurement in (Measure.REPS, Measure.REPS_WEIGHT)

    @property
    def uses_time(self) -> bool:
        return self.measurement in (Measure.TIME, Measure.TIME_DISTANCE)

    @property
    def uses_distance(self) -> bool:
        return self.measurement in (Measure.DISTANCE, Measure.TIME_DISTANCE)


class HiddenExercise(TrainerOwned):
    """A built-in exercise the trainer does not want in their library."""

    exercise = models.ForeignKey(Exercise, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["trainer", "exercise"], name="hidden_exercise_once")
        ]


class CoachingSettings(TrainerOwned):
    """The trainer's units: every weight and length is shown (and typed) in them."""

    class WeightUnit(models.TextChoices):
        KG = "kg", "Kilograms (kg)"
        LB = "lb", "Pounds (lb)"

    class LengthUnit(models.TextChoices):
        CM = "cm", "Centimetres (cm)"
        IN = "in", "Inches (in)"

    weight_unit = models.CharField(max_length=2, choices=WeightUnit.choices, default="kg")
    length_unit = models.CharField(max_length=2, choices=LengthUnit.choices, default="cm")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["trainer"], name="coaching_settings_once")]


def _token() -> str:
    return secrets.token_urlsafe(24)


class Program(TrainerOwned):
    """A template (client empty) or one client's own copy of one (client set)."""

    name = models.CharField(max_length=120)
    description = models.TextField(max_length=4000, blank=True)
    goal = models.CharField(max_length=200, blank=True)
    weeks = models.PositiveSmallIntegerField(default=4)
    client = models.ForeignKey(
        "clients.Client",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="programs",
    )
    source = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="copies"
    )
    start_date = models.DateField(null=True, blank=True)
    weekdays = models.CharField(max_length=20, blank=True)  # ",0,2,4," (Monday = 0)
    archived_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name", "id"]
        indexes = [
            models.Index(fields=["trainer", "client", "archived_at"]),
            models.Index(fields=["client", "start_date"]),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_template(self) -> bool:
        return self.client_id is None

    @property
    def weekday_list(self) -> list[int]:
        return [int(d) for d in uncodes(self.weekdays)]


class ProgramDay(TrainerOwned):
    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="days")
    position = models.PositiveSmallIntegerField(default=0)
    name = models.CharField(max_length=120)
    notes = models.TextField(max_length=2000, blank=True)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.name


class LoadKind(models.TextChoices):
    NONE = "none", "No load"
    WEIGHT = "weight", "Weight"
    PERCENT_1RM = "percent_1rm", "% of 1RM"
    RPE = "rpe", "RPE"
    RIR = "rir", "Reps in reserve"
    BODYWEIGHT = "bodyweight", "Body weight"


class Progression(models.TextChoices):
    NONE = "none", "None"
    KG = "kg", "Add weight each week"
    PERCENT = "percent", "Add % each week"
    REPS = "reps", "Add reps each week"


class ProgramExercise(TrainerOwned):
    """One exercise of a day, with what is prescribed. Rows sharing a `group` letter are a
    superset (two) or a circuit (three or more), done back to back."""

    day = models.ForeignKey(ProgramDay, on_delete=models.CASCADE, related_name="items")
    exercise = models.ForeignKey(Exercise, on_delete=models.PROTECT, related_name="+")
    position = models.PositiveSmallIntegerField(default=0)
    group = models.CharField(max_length=2, blank=True)
    sets = models.PositiveSmallIntegerField(default=3)
    reps_min = models.PositiveSmallIntegerField(null=True, blank=True)
    reps_max = models.PositiveSmallIntegerField(null=True, blank=True)
    duration_seconds = models.PositiveIntegerField(null=True, blank=True)
    distance_m = models.DecimalField(max_digits=9, decimal_places=1, null=True, blank=True)
    load_kind = models.CharField(max_length=12, choices=LoadKind.choices, default="none")
    # kg for WEIGHT, percent for PERCENT_1RM, the number for RPE/RIR.
    load_value = models.DecimalField(max_digits=7, decimal_places=2, null=True, blank=True)
    tempo = models.CharField(max_length=12, blank=True)
    rest_seconds = models.PositiveIntegerField(null=True, blank=True)
    notes = models.TextField(max_length=1000, blank=True)
    progression = models.CharField(max_length=8, choices=Progression.choices, default="none")
    # kg per week for KG, percent points for PERCENT, reps for REPS.
    progression_value = models.DecimalField(max_digits=6, decimal_places=2, null=True, blank=True)

    class Meta:
        ordering = ["position", "id"]


class Workout(TrainerOwned):
    """One session a client did (or is doing): from a program day, or free."""

    class By(models.TextChoices):
        CLIENT = "client", "Client"
        TRAINER = "trainer", "Trainer"

    client = models.ForeignKey("clients.Client", on_delete=models.CASCADE, related_name="+")
    program = models.ForeignKey(
        Program, null=True, blank=True, on_delete=models.SET_NULL, related_name="workouts"
    )
    day = models.ForeignKey(
        ProgramDay, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    booking = models.ForeignKey(
        "scheduling.Booking", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    date = models.DateField()
    week = models.PositiveSmallIntegerField(default=1)
    logged_by = models.CharField(max_length=8, choices=By.choices, default=By.CLIENT)
    feel = models.PositiveSmallIntegerField(null=True, blank=True)
    notes = models.TextField(max_length=2000, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    idempotency_key = models.CharField(max_length=64, default=uuid.uuid4, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-date", "-id"]
        indexes = [models.Index(fields=["client", "date"])]
        constraints = [
            models.UniqueConstraint(
                fields=["trainer", "idempotency_key"], name="workout_idempotency_once"
            )
        ]


class SetLog(TrainerOwned):
    """One set done, with its target when it came from a program."""

    workout = models.ForeignKey(Workout, on_delete=models.CASCADE, related_name="sets")
    client = models.ForeignKey("clients.Client", on_delete=models.CASCADE, related_name="+")
    exercise = models.ForeignKey(Exercise, on_delete=models.PROTECT, related_name="+")
    item = models.ForeignKey(
        ProgramExercise, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    date = models.DateField()
    set_number = models.PositiveSmallIntegerField()
    reps = models.PositiveSmallIntegerField(null=True, blank=True)
    weight_kg = models.DecimalField(max_digits=7, decimal_places=2, null=True, blank=True)
    duration_seconds = models.PositiveIntegerField(null=True, blank=True)
    distance_m = models.DecimalField(max_digits=9, decimal_places=1, null=True, blank=True)
    rpe = models.DecimalField(max_digits=3, decimal_places=1, null=True, blank=True)
    target_reps = models.PositiveSmallIntegerField(null=True, blank=True)
    target_weight_kg = models.DecimalField(max_digits=7, decimal_places=2, null=True, blank=True)
    idempotency_key = models.CharField(max_length=64, default=uuid.uuid4, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["date", "workout_id", "id"]
        indexes = [
            models.Index(fields=["client", "date"]),
            models.Index(fields=["client", "exercise"]),
        ]
        constraints = [
            models.UniqueConstraint(fields=["trainer", "idempotency_key"], name="set_log_once")
        ]


class MeasureKind(models.TextChoices):
    WEIGHT = "weight", "Body weight"
    BODY_FAT = "body_fat", "Body fat %"
    CHEST = "chest", "Chest"
    WAIST = "waist", "Waist"
    HIPS = "hips", "Hips"
    ARM = "arm", "Arm"
    THIGH = "thigh", "Thigh"
    CUSTOM = "custom", "Other"


class CustomMeasure(TrainerOwned):
    """A circumference (or other length) the trainer tracks beyond the built-in ones."""

    name = models.CharField(max_length=60)

    class Meta:
        ordering = ["name", "id"]
        constraints = [models.UniqueConstraint(fields=["trainer", "name"], name="measure_once")]

    def __str__(self) -> str:
        return self.name


class Measurement(TrainerOwned):
    """One dated value: kg for body weight, percent for body fat, metres for lengths."""

    client = models.ForeignKey("clients.Client", on_delete=models.CASCADE, related_name="+")
    date = models.DateField()
    kind = models.CharField(max_length=10, choices=MeasureKind.choices)
    custom = models.ForeignKey(
        CustomMeasure, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    value = models.DecimalField(max_digits=9, decimal_places=4)
    by = models.CharField(max_length=8, choices=Workout.By.choices, default="trainer")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["date", "id"]
        indexes = [models.Index(fields=["client", "kind", "date"])]


def photo_path(instance: ProgressPhoto, filename: str) -> str:
    return f"progress/{instance.trainer_id}/{instance.client_id}/{uuid.uuid4().hex}.jpg"


class ProgressPhoto(TrainerOwned):
    class Pose(models.TextChoices):
        FRONT = "front", "Front"
        SIDE = "side", "Side"
        BACK = "back", "Back"

    client = models.ForeignKey("clients.Client", on_delete=models.CASCADE, related_name="+")
    date = models.DateField()
    pose = models.CharField(max_length=5, choices=Pose.choices)
    file = models.FileField(upload_to=photo_path, max_length=255)
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)
    by = models.CharField(max_length=8, choices=Workout.By.choices, default="trainer")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-date", "pose", "-id"]
        indexes = [models.Index(fields=["client", "date"])]


class RecordKind(models.TextChoices):
    WEIGHT_FOR_REPS = "weight_for_reps", "Heaviest for reps"
    REPS_AT_WEIGHT = "reps_at_weight", "Most reps at weight"
    E1RM = "e1rm", "Best estimated 1RM"
    FASTEST = "fastest", "Fastest time"
    LONGEST = "longest", "Longest distance"


class PersonalRecord(TrainerOwned):
    """The best a client has done on one exercise by one rule (for one rep count or weight)."""

    client = models.ForeignKey("clients.Client", on_delete=models.CASCADE, related_name="+")
    exercise = models.ForeignKey(Exercise, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=16, choices=RecordKind.choices)
    # The rep count (weight_for_reps), the weight in kg (reps_at_weight), the distance
    # in metres (fastest), else "".
    key = models.CharField(max_length=20, blank=True)
    value = models.DecimalField(max_digits=10, decimal_places=2)
    set_log = models.ForeignKey(SetLog, null=True, on_delete=models.SET_NULL, related_name="+")
    achieved_on = models.DateField()
    celebrated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["exercise__name", "kind", "key"]
        constraints = [
            models.UniqueConstraint(
                fields=["client", "exercise", "kind", "key"], name="record_once"
            )
        ]


class ClientLink(TrainerOwned):
    """The client's private link to their programs, workouts and progress (no account
    needed); a signed-in client account reaches the same pages."""

    client = models.OneToOneField(
        "clients.Client", on_delete=models.CASCADE, related_name="coaching_link"
    )
    token = models.CharField(max_length=64, unique=True, default=_token)
    created_at = models.DateTimeField(auto_now_add=True)
