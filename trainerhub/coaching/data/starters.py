"""Starter templates written for TrainerHub: a trainer adds one to their templates and
adapts it. Exercises are named as in the built-in library."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.text import slugify


@dataclass(frozen=True)
class Starter:
    name: str
    description: str
    goal: str
    weeks: int
    days: list[tuple[str, list[dict[str, Any]]]]

    def keys(self) -> set[str]:
        return {slugify(item["exercise"]) for _, items in self.days for item in items}


def lift(name: str, sets: int, lo: int, hi: int | None = None, rest: int = 90, **extra: Any) -> dict[str, Any]:
    return {"exercise": name, "sets": sets, "reps_min": lo, "reps_max": hi, "rest_seconds": rest, **extra}


def timed(name: str, sets: int, seconds: int, rest: int = 30, **extra: Any) -> dict[str, Any]:
    return {"exercise": name, "sets": sets, "duration_seconds": seconds, "rest_seconds": rest, **extra}


REPS: dict[str, Any] = {"progression": "reps", "progression_value": 1}

STARTERS: dict[str, Starter] = {
    "full-body-beginner": Starter(
        name="Full body for beginners (3× a week)",
        description="Two alternating full-body sessions built on basic patterns: squat, hinge, "
        "push, pull and carry. Start light, own the technique, add a rep each week.",
        goal="Build a base of strength and learn the main lifts",
        weeks=8,
        days=[
            ("Day A – Full body", [
                lift("Goblet squat", 3, 8, 12, **REPS),
                lift("Dumbbell bench press", 3, 8, 12, **REPS),
                lift("Seated cable row", 3, 10, 12),
                lift("Glute bridge", 2, 12, 15, rest=60),
                timed("Plank", 3, 30),
            ]),
            ("Day B – Full body", [
                lift("Romanian deadlift", 3, 8, 10, **REPS),
                lift("Lat pulldown", 3, 8, 12),
                lift("Seated dumbbell shoulder press", 3, 8, 12),
                lift("Reverse lunge", 2, 8, 10, rest=60),
                lift("Dead bug", 3, 8, 10, rest=45),
            ]),
        ],
    ),
    "upper-lower-4": Starter(
        name="Upper / lower split (4× a week)",
        description="Two upper-body and two lower-body days a week: a heavier day and a "
        "lighter, higher-rep day for each. Weights go up 2.5 kg a week on the main lifts.",
        goal="Strength and muscle for trainees with some experience",
        weeks=6,
        days=[
            ("Upper 1 – Heavy", [
                lift("Barbell bench press", 4, 5, rest=150, load_kind="rpe", load_value=8),
                lift("Bent-over barbell row", 4, 6, 8, rest=120),
                lift("Overhead press", 3, 6, 8, rest=120),
                {**lift("Dumbbell curl", 3, 10, 12, rest=45), "group": "A"},
                {**lift("Triceps pushdown", 3, 10, 12, rest=45), "group": "A"},
            ]),
            ("Lower 1 – Heavy", [
                lift("Barbell back squat", 4, 5, rest=180, load_kind="percent_1rm", load_value=75,
                     progression="percent", progression_value=2.5),
                lift("Romanian deadlift", 3, 8, rest=120),
                lift("Walking lunge", 3, 10, rest=90),
                lift("Standing calf raise", 3, 12, 15, rest=45),
            ]),
            ("Upper 2 – Volume", [
                lift("Incline dumbbell press", 3, 10, 12),
                lift("Pull-up", 3, 6, 10, rest=120),
                lift("Lateral raise", 3, 12, 15, rest=45),
                lift("Face pull", 3, 15, rest=45),
            ]),
            ("Lower 2 – Volume", [
                lift("Trap bar deadlift", 3, 6, 8, rest=150),
                lift("Bulgarian split squat", 3, 8, 10),
                lift("Lying leg curl", 3, 10, 12, rest=60),
                timed("Side plank", 3, 30),
            ]),
        ],
    ),
    "5k-run": Starter(
        name="First 5 k run plan (3× a week)",
        description="Walk–run intervals that grow into a continuous 5 km over eight weeks. "
        "Run at a pace you could still talk at.",
        goal="Run 5 km without stopping",
        weeks=8,
        days=[
            ("Easy intervals", [
                timed("Brisk walk", 1, 300, rest=0),
                timed("Running", 6, 90, rest=120, notes="Walk during the rest."),
                timed("Brisk walk", 1, 300, rest=0),
            ]),
            ("Steady run", [
                timed("Brisk walk", 1, 300, rest=0),
                timed("Running", 3, 300, rest=180, notes="Walk during the rest."),
                timed("Hamstring stretch", 2, 30, rest=0),
            ]),
            ("Long run", [
                {"exercise": "Running", "sets": 1, "distance_m": 3000, "rest_seconds": 0,
                 "notes": "Slow and steady; walk a minute when you need it."},
                timed("Hip flexor stretch", 2, 30, rest=0),
            ]),
        ],
    ),
    "mobility-core": Starter(
        name="Mobility and core (2× a week)",
        description="A short routine for stiff hips, a tight upper back and a stronger trunk. "
        "Good on rest days or as a warm-up.",
        goal="Move better and feel less stiff",
        weeks=4,
        days=[
            ("Mobility and core", [
                lift("Cat-cow", 2, 8, rest=0),
                lift("World's greatest stretch", 2, 5, rest=0),
                lift("90/90 hip switch", 2, 8, rest=0),
                lift("Thoracic rotation", 2, 8, rest=0),
                lift("Bird dog", 3, 8, rest=30),
                timed("Hollow body hold", 3, 20, rest=30),
            ]),
        ],
    ),
}
