"""Personal records from logged sets (pure): the best value by each rule, first achieved wins
a tie."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from trainerhub.coaching.units import plain, q


@dataclass(frozen=True)
class SetFacts:
    id: int
    exercise_id: int
    date: date
    reps: int | None = None
    weight_kg: Decimal | None = None
    duration_seconds: int | None = None
    distance_m: Decimal | None = None


@dataclass(frozen=True)
class Best:
    value: Decimal
    set_id: int
    date: date


RecordKey = tuple[int, str, str]  # exercise, kind, key


def epley(weight: Decimal, reps: int) -> Decimal:
    """Estimated one-rep max: w x (1 + r/30); a single is the weight itself."""
    return q(weight) if reps == 1 else q(weight * (1 + Decimal(reps) / 30))


def candidates(s: SetFacts) -> list[tuple[str, str, Decimal, bool]]:
    """(kind, key, value, lower_is_better) of every rule this set can score on."""
    out: list[tuple[str, str, Decimal, bool]] = []
    weight = s.weight_kg if s.weight_kg and s.weight_kg > 0 else None
    if s.reps and s.reps > 0:
        out.append(("reps_at_weight", plain(q(weight)) if weight else "0", Decimal(s.reps), False))
        if weight:
            out.append(("weight_for_reps", str(s.reps), q(weight), False))
            out.append(("e1rm", "", epley(weight, s.reps), False))
    distance = s.distance_m if s.distance_m and s.distance_m > 0 else None
    if distance:
        out.append(("longest", "", q(distance), False))
        if s.duration_seconds and s.duration_seconds > 0:
            out.append(("fastest", plain(q(distance)), Decimal(s.duration_seconds), True))
    return out


def detect(sets: Iterable[SetFacts]) -> dict[RecordKey, Best]:
    best: dict[RecordKey, Best] = {}
    for s in sorted(sets, key=lambda s: (s.date, s.id)):
        for kind, key, value, lower in candidates(s):
            k = (s.exercise_id, kind, key)
            current = best.get(k)
            if current is None or (value < current.value if lower else value > current.value):
                best[k] = Best(value, s.id, s.date)
    return best
