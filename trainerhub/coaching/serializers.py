"""What the coaching API answers (inputs are checked by the services, field by field).

Weights are answered in kilograms and lengths in metres (SI), with two-place strings, so a
client of the API never depends on the trainer's display units."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from trainerhub.coaching.models import (
    Exercise,
    Measurement,
    PersonalRecord,
    Program,
    ProgramDay,
    ProgramExercise,
    ProgressPhoto,
    SetLog,
    Workout,
)


class ExerciseSerializer(serializers.ModelSerializer):
    primary_muscles = serializers.ListField(source="primary_list", child=serializers.CharField())
    secondary_muscles = serializers.ListField(
        source="secondary_list", child=serializers.CharField()
    )
    equipment = serializers.ListField(source="equipment_list", child=serializers.CharField())
    builtin = serializers.BooleanField(source="is_builtin")
    # Not `format: uri`: an exercise without a video answers "".
    video_url = serializers.CharField(help_text="A web address, or empty.")

    class Meta:
        model = Exercise
        fields = [
            "id",
            "name",
            "category",
            "primary_muscles",
            "secondary_muscles",
            "equipment",
            "difficulty",
            "measurement",
            "instructions",
            "video_url",
            "builtin",
        ]
        read_only_fields = fields


class ProgramExerciseSerializer(serializers.ModelSerializer):
    exercise_name = serializers.CharField(source="exercise.name")

    class Meta:
        model = ProgramExercise
        fields = [
            "id",
            "exercise",
            "exercise_name",
            "position",
            "group",
            "sets",
            "reps_min",
            "reps_max",
            "duration_seconds",
            "distance_m",
            "load_kind",
            "load_value",
            "tempo",
            "rest_seconds",
            "notes",
            "progression",
            "progression_value",
        ]
        read_only_fields = fields


class ProgramDaySerializer(serializers.ModelSerializer):
    exercises = ProgramExerciseSerializer(source="items", many=True)

    class Meta:
        model = ProgramDay
        fields = ["id", "position", "name", "notes", "exercises"]
        read_only_fields = fields


class ProgramSerializer(serializers.ModelSerializer):
    days = ProgramDaySerializer(many=True)
    weekdays = serializers.ListField(source="weekday_list", child=serializers.IntegerField())
    client = serializers.IntegerField(source="client_id", allow_null=True)
    source = serializers.IntegerField(source="source_id", allow_null=True)  # type: ignore[assignment]

    class Meta:
        model = Program
        fields = [
            "id",
            "name",
            "description",
            "goal",
            "weeks",
            "client",
            "source",
            "start_date",
            "weekdays",
            "archived_at",
            "created_at",
            "updated_at",
            "days",
        ]
        read_only_fields = fields


class SetLogSerializer(serializers.ModelSerializer):
    class Meta:
        model = SetLog
        fields = [
            "id",
            "exercise",
            "item",
            "set_number",
            "reps",
            "weight_kg",
            "duration_seconds",
            "distance_m",
            "rpe",
            "target_reps",
            "target_weight_kg",
            "idempotency_key",
        ]
        read_only_fields = fields


class WorkoutSerializer(serializers.ModelSerializer):
    sets = SetLogSerializer(many=True)

    class Meta:
        model = Workout
        fields = [
            "id",
            "client",
            "program",
            "day",
            "booking",
            "date",
            "week",
            "logged_by",
            "feel",
            "notes",
            "completed_at",
            "idempotency_key",
            "sets",
        ]
        read_only_fields = fields


class MeasurementSerializer(serializers.ModelSerializer):
    custom_name = serializers.SerializerMethodField()
    unit = serializers.SerializerMethodField()

    class Meta:
        model = Measurement
        fields = ["id", "date", "kind", "custom", "custom_name", "value", "unit", "by"]
        read_only_fields = fields

    def get_custom_name(self, obj: Measurement) -> str:
        return obj.custom.name if obj.custom else ""

    def get_unit(self, obj: Measurement) -> str:
        return "kg" if obj.kind == "weight" else "%" if obj.kind == "body_fat" else "m"


class PhotoSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()

    class Meta:
        model = ProgressPhoto
        fields = ["id", "date", "pose", "width", "height", "by", "url"]
        read_only_fields = fields

    def get_url(self, obj: ProgressPhoto) -> str:
        base: Any = self.context.get("photo_base", "")
        return f"{base}/photos/{obj.pk}/" if base else ""


class RecordSerializer(serializers.ModelSerializer):
    exercise_name = serializers.CharField(source="exercise.name")

    class Meta:
        model = PersonalRecord
        fields = ["id", "exercise", "exercise_name", "kind", "key", "value", "achieved_on"]
        read_only_fields = fields


class AdherenceSerializer(serializers.Serializer):
    days_7 = serializers.IntegerField(source="d7", allow_null=True)
    days_30 = serializers.IntegerField(source="d30", allow_null=True)
    days_90 = serializers.IntegerField(source="d90", allow_null=True)
    prescribed = serializers.DictField(child=serializers.IntegerField())
    done = serializers.DictField(child=serializers.IntegerField())
    needs_attention = serializers.BooleanField()
