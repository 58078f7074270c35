"""Money arithmetic of invoices: amounts read from input, lines' net/tax/gross, the tax
summary. Pure functions, no database."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from trainerhub.core.currencies import CURRENCY_CODES

CENT = Decimal("0.01")
ZERO = Decimal("0")
HUNDRED = Decimal("100")


def cents(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def as_decimal(raw: Any) -> Decimal | None:
    """A finite decimal from a number or a string ("12.50", "12,50"), else None."""
    if isinstance(raw, bool) or raw is None:
        return None
    if isinstance(raw, float):
        raw = repr(raw)
    if isinstance(raw, str):
        raw = raw.strip().replace(",", ".")
        if not raw or len(raw) > 32:
            return None
    try:
        value = Decimal(raw)
    except (InvalidOperation, TypeError, ValueError):
        return None
    return value if value.is_finite() else None


def has_cents_at_most(value: Decimal) -> bool:
    exponent = value.as_tuple().exponent
    return isinstance(exponent, int) and (exponent >= -2 or value == cents(value))


def is_currency(code: Any) -> bool:
    return isinstance(code, str) and code in CURRENCY_CODES


def money_text(amount: Decimal, currency: str) -> str:
    return f"{cents(amount):,.2f} {currency}"


@dataclass(frozen=True)
class LineAmounts:
    net: Decimal
    tax: Decimal
    gross: Decimal


def line_amounts(
    quantity: Decimal, unit_price: Decimal, tax_rate: Decimal, *, gross_prices: bool
) -> LineAmounts:
    """A line's amounts: unit prices gross (tax included) or net, rounded to the cent."""
    amount = cents(quantity * unit_price)
    rate = tax_rate / HUNDRED
    if gross_prices:
        net = cents(amount / (1 + rate))
        return LineAmounts(net=net, tax=amount - net, gross=amount)
    tax = cents(amount * rate)
    return LineAmounts(net=amount, tax=tax, gross=amount + tax)


@dataclass(frozen=True)
class TaxRow:
    rate: Decimal
    net: Decimal
    tax: Decimal
    gross: Decimal


def tax_summary(lines: list[Any]) -> list[TaxRow]:
    """Per tax rate: the sums of the lines' net, tax and gross (highest rate first)."""
    rows: dict[Decimal, list[Decimal]] = {}
    for line in lines:
        sums = rows.setdefault(Decimal(line.tax_rate), [ZERO, ZERO, ZERO])
        sums[0] += line.net
        sums[1] += line.tax
        sums[2] += line.gross
    return [
        TaxRow(rate=rate, net=s[0], tax=s[1], gross=s[2])
        for rate, s in sorted(rows.items(), key=lambda item: -item[0])
    ]
