"""What the pages show, in the trainer's units: a prescription as one line, a day's plan for
one week, a client's progress for charts. Reads through selectors only."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from trainerhub.clients.models import Client
from trainerhub.coaching import selectors
from trainerhub.coaching.models import (
    CoachingSettings,
    MeasureKind,
    Measurement,
    PersonalRecord,
    Program,
    ProgramDay,
    ProgramExercise,
    SetLog,
)
from trainerhub.coaching.progression import WeekTarget, expand_item
from trainerhub.coaching.schedule import Scheduled, next_on_or_after, scheduled_days
from trainerhub.coaching.units import length_from_m, plain, weight_from_kg


def _seconds(s: int | None) -> str:
    if not s:
        return ""
    minutes, secs = divmod(s, 60)
    if minutes and secs:
        return f"{minutes} min {secs} s"
    return f"{minutes} min" if minutes else f"{secs} s"


def _distance(m: Decimal | None) -> str:
    if m is None:
        return ""
    return f"{plain(m / 1000)} km" if m >= 1000 else f"{plain(m)} m"


def reps_text(lo: int | None, hi: int | None) -> str:
    if lo is None:
        return ""
    return f"{lo}–{hi}" if hi and hi != lo else str(lo)  # noqa: RUF001


def load_text(kind: str, value: Decimal | None, unit: str) -> str:
    if kind == "weight" and value is not None:
        return f"{plain(weight_from_kg(value, unit))} {unit}"
    if kind == "percent_1rm" and value is not None:
        return f"{plain(value)} % 1RM"
    if kind == "rpe" and value is not None:
        return f"RPE {plain(value)}"
    if kind == "rir" and value is not None:
        return f"{plain(value)} RIR"
    if kind == "bodyweight":
        return "body weight"
    return ""


def target_line(item: ProgramExercise, t: WeekTarget, unit: str) -> str:
    parts = [f"{item.sets} ×"]  # noqa: RUF001
    reps = reps_text(t.reps_min, t.reps_max)
    if reps:
        parts.append(reps)
    if item.duration_seconds:
        parts.append(_seconds(item.duration_seconds))
    if item.distance_m:
        parts.append(_distance(item.distance_m))
    load = load_text(item.load_kind, t.load_value, unit)
    if load:
        parts.append(f"@ {load}")
    return " ".join(parts)


def progression_text(item: ProgramExercise, unit: str) -> str:
    v = item.progression_value
    if item.progression == "kg" and v is not None:
        return f"+{plain(weight_from_kg(v, unit))} {unit} a week"
    if item.progression == "percent" and v is not None:
        return f"+{plain(v)} % a week"
    if item.progression == "reps" and v is not None:
        return f"+{plain(v)} rep{'s' if v != 1 else ''} a week"
    return ""


def item_weeks(item: ProgramExercise, weeks: int) -> list[WeekTarget]:
    return expand_item(item, weeks)


@dataclass
class ItemView:
    item: ProgramExercise
    line: str
    progression: str
    weeks: list[str]
    group_label: str = ""


def day_items(day: ProgramDay, weeks: int, unit: str) -> list[ItemView]:
    items = list(day.items.all())
    sizes: dict[str, int] = {}
    for i in items:
        if i.group:
            sizes[i.group] = sizes.get(i.group, 0) + 1
    out = []
    for i in items:
        expanded = item_weeks(i, weeks)
        label = ""
        if i.group and sizes[i.group] > 1:
            label = f"{'Superset' if sizes[i.group] == 2 else 'Circuit'} {i.group}"
        out.append(
            ItemView(
                item=i,
                line=target_line(i, expanded[0], unit),
                progression=progression_text(i, unit),
                weeks=[target_line(i, t, unit) for t in expanded]
                if i.progression != "none"
                else [],
                group_label=label,
            )
        )
    return out


# --- The workout page ------------------------------------------------------------------------


@dataclass
class SetSlot:
    number: int
    reps: int | None
    weight: str  # in the trainer's unit, for the input
    seconds: int | None
    distance: str
    done: SetLog | None = None
    key: str = ""

    @property
    def done_weight(self) -> str:
        return ""


@dataclass
class WorkoutItem:
    item: ProgramExercise
    line: str
    group_label: str
    slots: list[SetSlot] = field(default_factory=list)


def workout_plan(
    *, day: ProgramDay, week: int, unit: str, logged: dict[int, list[SetLog]]
) -> list[WorkoutItem]:
    views = day_items(day, max(week, 1), unit)
    out = []
    for v in views:
        i = v.item
        target = item_weeks(i, max(week, 1))[-1]
        weight = ""
        if i.load_kind == "weight" and target.load_value is not None:
            weight = plain(weight_from_kg(target.load_value, unit))
        done_by_number = {s.set_number: s for s in logged.get(i.pk, [])}
        slots = [
            SetSlot(
                number=n,
                reps=target.reps_max or target.reps_min,
                weight=weight,
                seconds=i.duration_seconds,
                distance=plain(i.distance_m) if i.distance_m else "",
                done=done_by_number.get(n),
            )
            for n in range(1, i.sets + 1)
        ]
        out.append(
            WorkoutItem(
                item=i, line=target_line(i, target, unit), group_label=v.group_label, slots=slots
            )
        )
    return out


def set_text(s: SetLog, unit: str) -> str:
    parts = []
    if s.reps:
        parts.append(f"{s.reps} reps")
    if s.weight_kg:
        parts.append(f"{plain(weight_from_kg(s.weight_kg, unit))} {unit}")
    if s.duration_seconds:
        parts.append(_seconds(s.duration_seconds))
    if s.distance_m:
        parts.append(_distance(s.distance_m))
    return " · ".join(parts) or "done"


def target_text(s: SetLog, unit: str) -> str:
    parts = []
    if s.target_reps:
        parts.append(f"{s.target_reps} reps")
    if s.target_weight_kg:
        parts.append(f"{plain(weight_from_kg(s.target_weight_kg, unit))} {unit}")
    return " · ".join(parts)


@dataclass
class Upcoming:
    program: Program
    scheduled: Scheduled | None
    today: bool


def todays(programs: list[Program], today: date) -> list[Upcoming]:
    """Each active program's workout for today, else its next one."""
    out = []
    for p in programs:
        days = list(p.days.all())
        nxt = next_on_or_after(
            start=p.start_date, weekdays=p.weekday_list, weeks=p.weeks, days=days, on=today
        )
        out.append(Upcoming(p, nxt, bool(nxt and nxt.date == today)))
    return out


def schedule_rows(program: Program, today: date, limit: int = 60) -> list[Scheduled]:
    days = list(program.days.all())
    rows = []
    for s in scheduled_days(
        start=program.start_date, weekdays=program.weekday_list, weeks=program.weeks, days=days
    ):
        if s.date >= today:
            rows.append(s)
        if len(rows) >= limit:
            break
    return rows


# --- Progress ------------------------------------------------------------------------------


def measure_value(m: Measurement, units: CoachingSettings) -> tuple[Decimal | None, str]:
    if m.kind == MeasureKind.WEIGHT:
        return weight_from_kg(m.value, units.weight_unit), units.weight_unit
    if m.kind == MeasureKind.BODY_FAT:
        return m.value.quantize(Decimal("0.1")), "%"
    return length_from_m(m.value, units.length_unit), units.length_unit


KIND_LABELS = dict(MeasureKind.choices)


def measure_label(m: Measurement) -> str:
    if m.kind == MeasureKind.CUSTOM and m.custom is not None:
        return m.custom.name
    return str(KIND_LABELS.get(m.kind, m.kind))


def chart_data(measurements: list[Measurement], units: CoachingSettings) -> dict[str, Any]:
    """{label: {"unit": u, "points": [[iso date, value], ...]}} for Chart.js and the table."""
    out: dict[str, Any] = {}
    for m in measurements:
        value, unit = measure_value(m, units)
        series = out.setdefault(measure_label(m), {"unit": unit, "points": []})
        series["points"].append([m.date.isoformat(), float(value) if value is not None else None])
    return out


def chart_json(data: dict[str, Any]) -> str:
    return json.dumps(data)


def record_text(r: PersonalRecord, unit: str) -> tuple[str, str]:
    """(what, value) of a record, in the trainer's unit."""
    if r.kind == "weight_for_reps":
        return (
            f"Heaviest for {r.key} rep{'s' if r.key != '1' else ''}",
            f"{plain(weight_from_kg(r.value, unit))} {unit}",
        )
    if r.kind == "reps_at_weight":
        if r.key == "0":
            return ("Most reps", f"{plain(r.value)} reps")
        w = weight_from_kg(Decimal(r.key), unit)
        return (f"Most reps at {plain(w)} {unit}", f"{plain(r.value)} reps")
    if r.kind == "e1rm":
        return ("Best estimated 1RM", f"{plain(weight_from_kg(r.value, unit))} {unit}")
    if r.kind == "fastest":
        return (f"Fastest {_distance(Decimal(r.key))}", _seconds(int(r.value)))
    return ("Longest distance", _distance(r.value))


@dataclass
class RecordView:
    record: PersonalRecord
    what: str
    value: str


def record_views(rows: list[PersonalRecord], unit: str) -> list[RecordView]:
    return [RecordView(r, *record_text(r, unit)) for r in rows]


def client_progress(client: Client, units: CoachingSettings) -> dict[str, Any]:
    measurements = list(selectors.measurements_for_client(client=client))
    data = chart_data(measurements, units)
    rows = [
        {
            "m": m,
            "label": measure_label(m),
            "value": plain(measure_value(m, units)[0]),
            "unit": measure_value(m, units)[1],
        }
        for m in reversed(measurements)
    ]
    return {"chart": data, "measurement_rows": rows[:100]}
