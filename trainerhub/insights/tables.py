"""Each insight as plain tables: the page's table view (for screen readers and anyone who
prefers numbers) and the CSV export read the same rows."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from typing import Any

from trainerhub.clients.exporting import formula_guarded
from trainerhub.insights.selectors import WEEKDAYS


@dataclass
class Table:
    title: str
    headers: list[str]
    rows: list[list[Any]]


def _pct(value: Any) -> str:
    return "" if value is None else f"{value}"


def heatmap_tables(data: dict[str, Any]) -> list[Table]:
    hours = [
        h
        for h in data["hours"]
        if any(data["sessions"][d][h] or data["missed"][d][h] for d in range(7))
    ]

    def grid(key: str, title: str) -> Table:
        return Table(
            title,
            ["Weekday", *[f"{h:02d}:00" for h in hours]],
            [[WEEKDAYS[d], *[data[key][d][h] for h in hours]] for d in range(7)],
        )

    return [
        grid("sessions", "Sessions by weekday and hour"),
        grid("missed", "No-shows and cancellations by weekday and hour"),
    ]


def utilisation_table(data: dict[str, Any]) -> list[Table]:
    return [
        Table(
            "Utilisation per week",
            ["Week of", "Available minutes", "Booked minutes", "Utilisation %"],
            [
                [w["week"], w["available_minutes"], w["booked_minutes"], _pct(w["utilisation"])]
                for w in data["weeks"]
            ],
        )
    ]


LABELS = {
    "clients": "Clients who came",
    "new": "New clients",
    "returning": "Returning clients",
    "repeat_pct": "Repeat clients %",
    "visits": "Sessions attended",
    "sessions_per_client_month": "Sessions per client per month",
    "total": "Bookings",
    "cancelled": "Cancellations",
    "late": "Late cancellations",
    "no_show": "No-shows",
    "completed": "Completed",
    "cancel_rate": "Cancellation rate %",
    "late_rate": "Late cancellation rate %",
    "no_show_rate": "No-show rate %",
    "sessions": "Sessions",
    "missed": "No-shows and cancellations",
}


def comparison_table(title: str, comparison: dict[str, Any]) -> Table:
    return Table(
        title,
        ["Figure", "This period", "Previous period", "Change %"],
        [
            [LABELS.get(k, k), _pct(v["current"]), _pct(v["previous"]), _pct(v["change"])]
            for k, v in comparison.items()
        ],
    )


def clients_tables(data: dict[str, Any]) -> list[Table]:
    return [
        comparison_table("Clients", data["comparison"]),
        Table(
            "Clients who came most",
            ["Client", "Sessions"],
            [[t["name"], t["visits"]] for t in data["top"]],
        ),
        Table(
            "Lifetime value (payments, all time)",
            ["Currency", "Paying clients", "Total paid", "Average per client"],
            [
                [v["currency"], v["paying_clients"], v["total"], v["average"]]
                for v in data.get("lifetime_value", [])
            ],
        ),
        Table(
            "Clients who paid most",
            ["Client", "Currency", "Paid"],
            [
                [t["name"], v["currency"], t["paid"]]
                for v in data.get("lifetime_value", [])
                for t in v["top"]
            ],
        ),
    ]


def retention_table(data: dict[str, Any]) -> list[Table]:
    offsets = data["offsets"]
    return [
        Table(
            "Retention by first-session month",
            [
                "First month",
                "Clients",
                *[f"After {o} month{'s' if o > 1 else ''} %" for o in offsets],
            ],
            [
                [c["month"], c["size"], *[_pct(c["retained"][str(o)]) for o in offsets]]
                for c in data["cohorts"]
            ],
        )
    ]


def cancellations_tables(data: dict[str, Any]) -> list[Table]:
    return [
        comparison_table("Cancellations and no-shows", data["comparison"]),
        Table(
            "By month",
            [
                "Month",
                "Bookings",
                "Cancelled",
                "Late",
                "No-shows",
                "Cancellation rate %",
                "No-show rate %",
            ],
            [
                [
                    m["month"],
                    m["total"],
                    m["cancelled"],
                    m["late"],
                    m["no_show"],
                    _pct(m["cancel_rate"]),
                    _pct(m["no_show_rate"]),
                ]
                for m in data["months"]
            ],
        ),
        Table(
            "Reasons given",
            ["Reason", "Cancellations"],
            [[r["reason"], r["count"]] for r in data["reasons"]],
        ),
        Table(
            "Clients who cancel most",
            ["Client", "Bookings", "Cancelled", "Late", "No-shows", "Cancellation rate %"],
            [
                [
                    c["name"],
                    c["bookings"],
                    c["cancelled"],
                    c["late"],
                    c["no_show"],
                    _pct(c["cancel_rate"]),
                ]
                for c in data["clients"]
            ],
        ),
    ]


def money_tables(data: dict[str, Any]) -> list[Table]:
    credits = data["credits"]
    return [
        Table(
            "Booked revenue",
            ["Currency", "Revenue", "Average booking value", "Previous period"],
            [
                [t["currency"], t["revenue"], t["average_booking_value"], t["previous_revenue"]]
                for t in data["totals"]
            ],
        ),
        Table(
            "Revenue by month",
            ["Month", "Currency", "Revenue"],
            [[m["month"], m["currency"], m["revenue"]] for m in data["months"]],
        ),
        Table(
            "Revenue by service",
            ["Service", "Currency", "Revenue", "Bookings"],
            [
                [s["service"], s["currency"], s["revenue"], s["bookings"]]
                for s in data["by_service"]
            ],
        ),
        Table(
            "Outstanding now",
            ["Currency", "Owed"],
            [[o["currency"], o["amount"]] for o in data["outstanding"]],
        ),
        Table(
            "Package credits",
            ["Sold", "Used", "Forfeited", "Expired"],
            [[credits["sold"], credits["used"], credits["forfeited"], credits["expired"]]],
        ),
    ]


def at_risk_table(rows: list[dict[str, Any]]) -> list[Table]:
    return [
        Table(
            "Clients at risk",
            ["Client", "Level", "Why", "Days since last session", "Usual gap (days)", "Sessions"],
            [
                [r["name"], r["level"], r["why"], r["days_since"], r["usual_gap_days"], r["visits"]]
                for r in rows
            ],
        )
    ]


def as_csv(tables: list[Table]) -> str:
    """Every table one after the other, each under its title, a blank line between."""
    out = io.StringIO()
    writer = csv.writer(out)
    for i, table in enumerate(tables):
        if i:
            writer.writerow([])
        writer.writerow([table.title])
        writer.writerow(table.headers)
        for row in table.rows:
            writer.writerow([_safe(cell) for cell in row])
    return out.getvalue()


def _safe(cell: Any) -> Any:
    return formula_guarded(cell) if isinstance(cell, str) else cell
