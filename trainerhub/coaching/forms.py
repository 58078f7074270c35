"""Page forms of coaching: they check the shape; the services check the rules."""

from __future__ import annotations

from typing import Any

from django import forms

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
from trainerhub.core.widgets import LongSelect

WEEKDAYS = [
    ("0", "Mon"),
    ("1", "Tue"),
    ("2", "Wed"),
    ("3", "Thu"),
    ("4", "Fri"),
    ("5", "Sat"),
    ("6", "Sun"),
]


def _blank(choices: Any, label: str) -> list[tuple[str, str]]:
    return [("", label), *choices]


class ExerciseFilterForm(forms.Form):
    search = forms.CharField(required=False, max_length=100, label="Search")
    category = forms.ChoiceField(required=False, choices=_blank(Category.choices, "Any category"))
    muscle = forms.ChoiceField(required=False, choices=_blank(Muscle.choices, "Any muscle"))
    equipment = forms.ChoiceField(
        required=False, choices=_blank(Equipment.choices, "Any equipment")
    )
    difficulty = forms.ChoiceField(required=False, choices=_blank(Difficulty.choices, "Any level"))
    mine = forms.BooleanField(required=False, label="Only my exercises")
    show_hidden = forms.BooleanField(required=False, label="Show hidden")


class ExerciseForm(forms.Form):
    name = forms.CharField(max_length=120)
    category = forms.ChoiceField(choices=Category.choices)
    primary_muscles = forms.MultipleChoiceField(
        choices=Muscle.choices, widget=forms.CheckboxSelectMultiple, label="Primary muscles"
    )
    secondary_muscles = forms.MultipleChoiceField(
        choices=Muscle.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        label="Secondary muscles",
    )
    equipment = forms.MultipleChoiceField(
        choices=Equipment.choices, widget=forms.CheckboxSelectMultiple, required=False
    )
    difficulty = forms.ChoiceField(choices=Difficulty.choices)
    measurement = forms.ChoiceField(choices=Measure.choices, label="Measured by")
    instructions = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 5}), required=False, max_length=4000
    )
    video_url = forms.URLField(
        required=False, label="Video or image link", assume_scheme="https", max_length=500
    )


class ProgramForm(forms.Form):
    name = forms.CharField(max_length=120)
    goal = forms.CharField(max_length=200, required=False)
    weeks = forms.IntegerField(min_value=1, max_value=52, initial=4, label="Length in weeks")
    description = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=4000
    )


class DayForm(forms.Form):
    name = forms.CharField(max_length=120, label="Day name", help_text="e.g. Day A – Upper")  # noqa: RUF001
    notes = forms.CharField(
        max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class ItemForm(forms.Form):
    exercise = forms.IntegerField(widget=forms.Select)
    sets = forms.IntegerField(min_value=1, max_value=50, initial=3)
    reps_min = forms.IntegerField(required=False, label="Reps (or from)", min_value=1)
    reps_max = forms.IntegerField(required=False, label="to", min_value=1)
    duration_seconds = forms.IntegerField(required=False, label="Time (s)", min_value=1)
    distance_m = forms.DecimalField(required=False, label="Distance (m)", min_value=0)
    load_kind = forms.ChoiceField(choices=LoadKind.choices, label="Load", initial="none")
    load_value = forms.DecimalField(required=False, label="Load value")
    tempo = forms.CharField(required=False, max_length=12, help_text="e.g. 3-1-1-0")
    rest_seconds = forms.IntegerField(required=False, label="Rest (s)", min_value=0)
    group = forms.CharField(
        required=False, max_length=2, label="Group", help_text="Same letter: superset/circuit"
    )
    progression = forms.ChoiceField(choices=Progression.choices, initial="none")
    progression_value = forms.DecimalField(required=False, label="per week")
    notes = forms.CharField(required=False, max_length=1000)

    def __init__(self, *args: Any, exercises: Any = (), unit: str = "kg", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["exercise"].widget.choices = [("", "Choose an exercise")] + [
            (e.pk, e.name) for e in exercises
        ]
        self.fields["load_value"].help_text = f"{unit} for a weight; % for 1RM; RPE/RIR number"
        self.fields["progression_value"].help_text = f"{unit}, % or reps"


class AssignForm(forms.Form):
    client = forms.IntegerField(widget=LongSelect)
    start_date = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    weekdays = forms.MultipleChoiceField(
        choices=WEEKDAYS, widget=forms.CheckboxSelectMultiple, label="Training days"
    )

    def __init__(self, *args: Any, clients: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["client"].widget.choices = [("", "Choose a client")] + [
            (c.pk, c.full_name) for c in clients
        ]


class ScheduleForm(forms.Form):
    start_date = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    weekdays = forms.MultipleChoiceField(
        choices=WEEKDAYS, widget=forms.CheckboxSelectMultiple, label="Training days"
    )


class SettingsForm(forms.Form):
    weight_unit = forms.ChoiceField(choices=CoachingSettings.WeightUnit.choices)
    length_unit = forms.ChoiceField(choices=CoachingSettings.LengthUnit.choices)


class MeasurementForm(forms.Form):
    kind = forms.ChoiceField(choices=MeasureKind.choices, label="Measurement")
    custom = forms.IntegerField(required=False, widget=forms.Select, label="Which (for Other)")
    value = forms.DecimalField(max_digits=9, decimal_places=2)
    date = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}), required=False)

    def __init__(self, *args: Any, customs: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["custom"].widget.choices = [("", "—")] + [(c.pk, c.name) for c in customs]


class PhotoForm(forms.Form):
    file = forms.FileField(
        label="Photo", widget=forms.ClearableFileInput(attrs={"accept": "image/*"})
    )
    pose = forms.ChoiceField(choices=ProgressPhoto.Pose.choices)
    date = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}), required=False)


class CustomMeasureForm(forms.Form):
    name = forms.CharField(max_length=60, label="New measurement", help_text="e.g. Calf, Neck")
