"""Coaching objects for tests, made through the coaching services."""

from __future__ import annotations

from datetime import date
from typing import Any

from trainerhub.clients.tests.factories import ClientFactory
from trainerhub.coaching import services
from trainerhub.coaching.models import Exercise, Program

__all__ = ["ClientFactory", "assign", "builtin", "make_program"]


def builtin(name: str) -> Exercise:
    return Exercise.objects.get(trainer__isnull=True, name=name)


def make_program(
    trainer: Any, *, name: str = "Strength A", weeks: int = 4, days: Any = None
) -> Program:
    if days is None:
        squat, bench = builtin("Barbell back squat"), builtin("Barbell bench press")
        days = [
            {
                "name": "Day A",
                "exercises": [
                    {
                        "exercise": squat.pk,
                        "sets": 3,
                        "reps_min": 5,
                        "load_kind": "weight",
                        "load_value": "100",
                        "progression": "kg",
                        "progression_value": "2.5",
                    },
                    {
                        "exercise": bench.pk,
                        "sets": 2,
                        "reps_min": 8,
                        "reps_max": 10,
                        "load_kind": "weight",
                        "load_value": "60",
                    },
                ],
            }
        ]
    return services.program_create(trainer=trainer, name=name, weeks=weeks, days=days)


def assign(
    program: Program, client: Any, *, start: date, weekdays: list[int] | None = None
) -> Program:
    return services.program_assign(
        program=program,
        client=client,
        start_date=start,
        weekdays=weekdays or [0, 2, 4],
        trainer=program.trainer_id,
    )
