"""Coaching's holders in the clients' privacy registry (registered at ready()): a client's
programs (their copies), workouts and sets, measurements, photos (files deleted on erase),
records and their private link. The trainer's own library and settings hold none."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from trainerhub.clients import privacy
from trainerhub.coaching.models import (
    ClientLink,
    Measurement,
    PersonalRecord,
    Program,
    ProgramDay,
    ProgramExercise,
    ProgressPhoto,
    SetLog,
    Workout,
)

iso = privacy.iso_or_value


def _delete(rows: QuerySet[Any], s: privacy.Subject) -> int:
    return rows.delete()[0]


def _programs(s: privacy.Subject) -> QuerySet[Any]:
    return Program.objects.filter(client=s.client)


def _export_programs(rows: QuerySet[Any]) -> list[dict[str, Any]]:
    return [
        {
            "id": p.pk,
            "name": p.name,
            "description": p.description,
            "goal": p.goal,
            "weeks": p.weeks,
            "start_date": iso(p.start_date),
            "weekdays": p.weekday_list,
            "archived_at": iso(p.archived_at),
            "days": [
                {
                    "name": d.name,
                    "notes": d.notes,
                    "exercises": [
                        {
                            "exercise": i.exercise.name,
                            "group": i.group,
                            "sets": i.sets,
                            "reps_min": i.reps_min,
                            "reps_max": i.reps_max,
                            "duration_seconds": i.duration_seconds,
                            "distance_m": str(i.distance_m) if i.distance_m is not None else None,
                            "load_kind": i.load_kind,
                            "load_value": str(i.load_value) if i.load_value is not None else None,
                            "tempo": i.tempo,
                            "rest_seconds": i.rest_seconds,
                            "notes": i.notes,
                            "progression": i.progression,
                            "progression_value": str(i.progression_value)
                            if i.progression_value is not None
                            else None,
                        }
                        for i in d.items.all()
                    ],
                }
                for d in p.days.all()
            ],
        }
        for p in rows.prefetch_related("days__items__exercise").order_by("start_date", "id")
    ]


def _workouts(s: privacy.Subject) -> QuerySet[Any]:
    return Workout.objects.filter(client=s.client)


def _export_workouts(rows: QuerySet[Any]) -> list[dict[str, Any]]:
    return [
        {
            "id": w.pk,
            "date": iso(w.date),
            "program_id": w.program_id,
            "week": w.week,
            "logged_by": w.logged_by,
            "feel": w.feel,
            "notes": w.notes,
            "completed_at": iso(w.completed_at),
            "sets": [
                {
                    "exercise": s.exercise.name,
                    "set_number": s.set_number,
                    "reps": s.reps,
                    "weight_kg": str(s.weight_kg) if s.weight_kg is not None else None,
                    "duration_seconds": s.duration_seconds,
                    "distance_m": str(s.distance_m) if s.distance_m is not None else None,
                    "rpe": str(s.rpe) if s.rpe is not None else None,
                    "target_reps": s.target_reps,
                    "target_weight_kg": str(s.target_weight_kg)
                    if s.target_weight_kg is not None
                    else None,
                }
                for s in w.sets.all()
            ],
        }
        for w in rows.prefetch_related("sets__exercise").order_by("date", "id")
    ]


def _export_measurements(rows: QuerySet[Any]) -> list[dict[str, Any]]:
    return [
        {
            "date": iso(m.date),
            "kind": m.custom.name if m.custom else m.kind,
            "value_si": str(m.value),
            "unit": "kg" if m.kind == "weight" else "%" if m.kind == "body_fat" else "m",
            "by": m.by,
        }
        for m in rows.select_related("custom").order_by("date", "id")
    ]


def _export_photos(rows: QuerySet[Any]) -> list[dict[str, Any]]:
    return [
        {"id": p.pk, "date": iso(p.date), "pose": p.pose, "width": p.width, "height": p.height}
        for p in rows.order_by("date", "id")
    ]


def _erase_photos(rows: QuerySet[Any], s: privacy.Subject) -> int:
    count = 0
    for photo in list(rows):
        name, storage = photo.file.name, photo.file.storage
        photo.delete()
        if name:
            storage.delete(name)
        count += 1
    return count


def _export_records(rows: QuerySet[Any]) -> list[dict[str, Any]]:
    return [
        {
            "exercise": r.exercise.name,
            "kind": r.kind,
            "key": r.key,
            "value": str(r.value),
            "achieved_on": iso(r.achieved_on),
        }
        for r in rows.select_related("exercise")
    ]


# In erase order: rows that point at others first.
HOLDERS: tuple[privacy.Holder, ...] = (
    privacy.Holder(
        "coaching.PersonalRecord",
        personal=(),
        other_text=("kind", "key"),
        erase="delete",
        rows=lambda s: PersonalRecord.objects.filter(client=s.client),
        eraser=_delete,
        export_key="personal_records",
        exporter=_export_records,
    ),
    privacy.Holder(
        "coaching.SetLog",
        personal=(),
        other_text=("idempotency_key",),
        erase="delete",
        rows=lambda s: SetLog.objects.filter(client=s.client),
        eraser=_delete,
        exported_in="workouts",
    ),
    privacy.Holder(
        "coaching.Workout",
        personal=("notes",),
        other_text=("logged_by", "idempotency_key"),
        erase="delete",
        rows=_workouts,
        eraser=_delete,
        export_key="workouts",
        exporter=_export_workouts,
    ),
    privacy.Holder(
        "coaching.ProgramExercise",
        personal=("notes",),
        other_text=("group", "tempo", "load_kind", "progression"),
        erase="delete",
        rows=lambda s: ProgramExercise.objects.filter(day__program__client=s.client),
        eraser=_delete,
        exported_in="programs",
    ),
    privacy.Holder(
        "coaching.ProgramDay",
        personal=("name", "notes"),
        erase="delete",
        rows=lambda s: ProgramDay.objects.filter(program__client=s.client),
        eraser=_delete,
        exported_in="programs",
    ),
    privacy.Holder(
        "coaching.Program",
        personal=("name", "description", "goal"),
        other_text=("weekdays",),
        erase="delete",
        rows=_programs,
        eraser=_delete,
        export_key="programs",
        exporter=_export_programs,
    ),
    privacy.Holder(
        "coaching.Measurement",
        personal=(),
        other_text=("kind", "by"),
        erase="delete",
        rows=lambda s: Measurement.objects.filter(client=s.client),
        eraser=_delete,
        export_key="measurements",
        exporter=_export_measurements,
    ),
    privacy.Holder(
        "coaching.ProgressPhoto",
        personal=("file",),
        other_text=("pose", "by"),
        erase="delete",
        rows=lambda s: ProgressPhoto.objects.filter(client=s.client),
        eraser=_erase_photos,
        export_key="progress_photos",
        exporter=_export_photos,
    ),
    privacy.Holder(
        "coaching.ClientLink",
        personal=(),
        other_text=("token",),
        erase="delete",
        rows=lambda s: ClientLink.objects.filter(client=s.client),
        eraser=_delete,
        not_exported="the private link to their training pages; it holds no facts about them",
    ),
)

NO_DATA = {
    "coaching.Exercise": "the exercise library (built in, or the trainer's own)",
    "coaching.HiddenExercise": "which built-in exercises the trainer hid",
    "coaching.CoachingSettings": "the trainer's units",
    "coaching.CustomMeasure": "the names of the trainer's own measurements",
}


def register() -> None:
    # holder_add puts each one first: add in reverse so erase walks HOLDERS in order, all
    # before the CRM's own rows (the client record last).
    for holder in reversed(HOLDERS):
        privacy.holder_add(holder)
    for label, reason in NO_DATA.items():
        privacy.no_client_data_add(label, reason)
