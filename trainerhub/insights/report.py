"""The insights by name: what the API, the page and the CSV export each ask for."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils import timezone

from trainerhub.accounts.models import User
from trainerhub.core.errors import InvalidInput
from trainerhub.insights import risk, selectors, tables
from trainerhub.insights.params import period_from, service_from


@dataclass(frozen=True)
class Section:
    title: str
    compute: Callable[[User, Mapping[str, str]], dict[str, Any]]
    tables: Callable[[dict[str, Any]], list[tables.Table]]


def _heatmap(trainer: User, params: Mapping[str, str]) -> dict[str, Any]:
    period, service = period_from(params, trainer=trainer), service_from(params, trainer=trainer)
    return _framed(period, selectors.heatmap(trainer=trainer, period=period, service=service))


def _utilisation(trainer: User, params: Mapping[str, str]) -> dict[str, Any]:
    period = period_from(params, trainer=trainer)
    service_from(params, trainer=trainer)  # checked like every section's; hours are shared
    return _framed(period, selectors.utilisation(trainer=trainer, last_day=period.last_day))


def _clients(trainer: User, params: Mapping[str, str]) -> dict[str, Any]:
    period, service = period_from(params, trainer=trainer), service_from(params, trainer=trainer)
    data = selectors.clients(trainer=trainer, period=period, service=service)
    data["lifetime_value"] = lifetime_value(trainer)
    return _framed(period, data)


def lifetime_value(trainer: User) -> list[dict[str, Any]]:
    """Lifetime value from billing's payments (net of refunds, all time), per currency: the
    paying clients, their average and the top ones. One query (billing's read)."""
    from trainerhub.billing.reads import lifetime_paid

    by_currency: dict[str, list[Any]] = {}
    for row in lifetime_paid(trainer=trainer):
        by_currency.setdefault(row.currency, []).append(row)
    out = []
    for currency, rows in sorted(by_currency.items()):
        total = sum((r.paid for r in rows), Decimal(0))
        out.append(
            {
                "currency": currency,
                "paying_clients": len(rows),
                "total": f"{total:.2f}",
                "average": f"{(total / len(rows)).quantize(Decimal('0.01')):.2f}",
                "top": [
                    {"client": r.client_id, "name": r.name, "paid": f"{r.paid:.2f}"}
                    for r in rows[: selectors.TOP]
                ],
            }
        )
    return out


def _retention(trainer: User, params: Mapping[str, str]) -> dict[str, Any]:
    period, service = period_from(params, trainer=trainer), service_from(params, trainer=trainer)
    return _framed(period, selectors.retention(trainer=trainer, period=period, service=service))


def _cancellations(trainer: User, params: Mapping[str, str]) -> dict[str, Any]:
    period, service = period_from(params, trainer=trainer), service_from(params, trainer=trainer)
    return _framed(period, selectors.cancellations(trainer=trainer, period=period, service=service))


def _money(trainer: User, params: Mapping[str, str]) -> dict[str, Any]:
    """Booked revenue (insights) with what billing says is owed and packages' credits."""
    from trainerhub.billing.revenue import outstanding_by_currency
    from trainerhub.packages import selectors as packages

    period, service = period_from(params, trainer=trainer), service_from(params, trainer=trainer)
    data = selectors.money(trainer=trainer, period=period, service=service)
    # What clients owe now: billing's aggregate (the same definition as its balances).
    owed = {
        c: a for c, a in outstanding_by_currency(trainer=trainer, now=timezone.now()).items() if a
    }
    start, end = period.bounds
    credits = packages.credit_figures(trainer=trainer, start=start, end=end)
    data["outstanding"] = [{"currency": c, "amount": f"{a:.2f}"} for c, a in sorted(owed.items())]
    data["credits"] = {
        "sold": credits.sold,
        "used": credits.used,
        "forfeited": credits.forfeited,
        "expired": credits.expired,
    }
    for key in ("months", "by_service", "totals"):
        for row in data[key]:
            for field in ("revenue", "average_booking_value", "previous_revenue"):
                if field in row:
                    row[field] = f"{row[field]:.2f}"
    return _framed(period, data)


def _at_risk(trainer: User, params: Mapping[str, str]) -> dict[str, Any]:
    # "At risk" is as of today; the period every section takes is still checked (a 400 for
    # a date that is not one), so one query serves them all.
    period_from(params, trainer=trainer)
    service_from(params, trainer=trainer)
    level = params.get("level") or ""
    if level and level not in risk.LEVELS:
        raise InvalidInput({"level": [f"Choose one of: {', '.join(risk.LEVELS)}."]})
    rows = [flag.as_dict() for flag in risk.flags(trainer=trainer)]
    if level:
        rows = [r for r in rows if r["level"] == level]
    return {"timezone": trainer.timezone, "clients": rows}


def _framed(period: Any, data: dict[str, Any]) -> dict[str, Any]:
    previous = period.previous()
    return {
        "from": period.first_day.isoformat(),
        "to": period.last_day.isoformat(),
        "previous": {"from": previous.first_day.isoformat(), "to": previous.last_day.isoformat()},
        "timezone": period.tz,
        **data,
    }


SECTIONS: dict[str, Section] = {
    "heatmap": Section("When people book", _heatmap, tables.heatmap_tables),
    "utilisation": Section("Utilisation", _utilisation, tables.utilisation_table),
    "clients": Section("Clients", _clients, tables.clients_tables),
    "retention": Section("Retention", _retention, tables.retention_table),
    "cancellations": Section("Cancellations", _cancellations, tables.cancellations_tables),
    "money": Section("Money", _money, tables.money_tables),
    "at-risk": Section("Clients at risk", _at_risk, lambda d: tables.at_risk_table(d["clients"])),
}


def section(name: str, *, trainer: User, params: Mapping[str, str]) -> dict[str, Any]:
    return SECTIONS[name].compute(trainer, params)


def section_csv(name: str, *, trainer: User, params: Mapping[str, str]) -> str:
    return tables.as_csv(SECTIONS[name].tables(section(name, trainer=trainer, params=params)))
