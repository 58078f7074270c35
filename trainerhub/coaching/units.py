"""Weights are stored in kg and lengths in metres; the trainer's setting picks what is shown."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

KG_PER_LB = Decimal("0.45359237")
M_PER_IN = Decimal("0.0254")
M_PER_CM = Decimal("0.01")


def q(value: Decimal, places: str = "0.01") -> Decimal:
    return value.quantize(Decimal(places), rounding=ROUND_HALF_UP)


def weight_to_kg(value: Decimal, unit: str) -> Decimal:
    return q(value * KG_PER_LB) if unit == "lb" else q(value)


def weight_from_kg(kg: Decimal | None, unit: str) -> Decimal | None:
    if kg is None:
        return None
    return q(kg / KG_PER_LB, "0.1") if unit == "lb" else q(kg)


def length_to_m(value: Decimal, unit: str) -> Decimal:
    return q(value * (M_PER_IN if unit == "in" else M_PER_CM), "0.0001")


def length_from_m(m: Decimal | None, unit: str) -> Decimal | None:
    if m is None:
        return None
    return q(m / (M_PER_IN if unit == "in" else M_PER_CM), "0.1")


def plain(value: Decimal | None) -> str:
    """82.50 -> '82.5', 80.00 -> '80', None -> ''."""
    if value is None:
        return ""
    text = f"{value:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text
