"""A program exercise's weekly progression, expanded week by week (pure)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from trainerhub.coaching.units import q


@dataclass(frozen=True)
class WeekTarget:
    week: int
    reps_min: int | None
    reps_max: int | None
    load_value: Decimal | None


def expand(
    *,
    weeks: int,
    reps_min: int | None,
    reps_max: int | None,
    load_kind: str,
    load_value: Decimal | None,
    progression: str,
    progression_value: Decimal | None,
) -> list[WeekTarget]:
    """Week 1 is the prescription; each later week adds the step once more. "kg" adds
    kilograms to a weight; "percent" grows the load (a weight or a % of 1RM) by that percent
    a week, compounded from week 1 and rounded once; "reps" adds reps to the range."""
    step = progression_value or Decimal(0)
    out = []
    for week in range(1, weeks + 1):
        n = week - 1
        lo, hi, load = reps_min, reps_max, load_value
        if progression == "kg" and load is not None and load_kind == "weight":
            load = q(load + step * n)
        elif progression == "percent" and load is not None:
            load = q(load * (1 + step / 100) ** n)
        elif progression == "reps":
            bump = int(step) * n
            lo = lo + bump if lo is not None else None
            hi = hi + bump if hi is not None else None
        out.append(WeekTarget(week, lo, hi, load))
    return out


def expand_item(item: Any, weeks: int) -> list[WeekTarget]:
    """A program exercise's targets for weeks 1..weeks."""
    return expand(
        weeks=weeks,
        reps_min=item.reps_min,
        reps_max=item.reps_max,
        load_kind=item.load_kind,
        load_value=item.load_value,
        progression=item.progression,
        progression_value=item.progression_value,
    )
