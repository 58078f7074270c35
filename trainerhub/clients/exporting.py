"""Exports: clients and bookings as CSV or .xlsx (dates in the trainer's timezone, health
notes left out unless asked for), and everything held about one client as JSON."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from trainerhub.clients.models import Client
from trainerhub.clients.selectors import client_bookings, client_files, client_notes, client_stats
from trainerhub.core.timezones import zone
from trainerhub.scheduling.models import Booking

FORMATS = ("csv", "xlsx")


def _local(value: datetime | None, tz_name: str) -> datetime | None:
    return value.astimezone(zone(tz_name)).replace(tzinfo=None) if value else None


def clients_table(
    clients: Iterable[Client], *, tz_name: str, include_health: bool = False
) -> tuple[list[str], list[list[Any]]]:
    headers = [
        "ID",
        "First name",
        "Last name",
        "Email",
        "Phone",
        "Date of birth",
        "Status",
        "Tags",
        "Goals",
        "Level",
        "Preferred contact",
        "Address",
        "Emergency contact",
        "Emergency phone",
        "Emergency relation",
        "Referral source",
        f"Added ({tz_name})",
        f"Last visit ({tz_name})",
        f"Next booking ({tz_name})",
    ]
    if include_health:
        headers.append("Health notes")
    rows = []
    for c in clients:
        row = [
            c.pk,
            c.first_name,
            c.last_name,
            c.email,
            c.phone,
            c.date_of_birth,
            c.status,
            ", ".join(t.name for t in c.tags.all()),
            c.goals,
            c.level,
            c.preferred_channel,
            c.address,
            c.emergency_contact_name,
            c.emergency_contact_phone,
            c.emergency_contact_relation,
            c.referral_source,
            _local(c.created_at, tz_name),
            _local(getattr(c, "last_visit", None), tz_name),
            _local(getattr(c, "next_booking", None), tz_name),
        ]
        if include_health:
            row.append(c.health_notes)
        rows.append(row)
    return headers, rows


def bookings_table(
    bookings: QuerySet[Booking], *, tz_name: str
) -> tuple[list[str], list[list[Any]]]:
    headers = [
        "ID",
        f"Start ({tz_name})",
        f"End ({tz_name})",
        "Client",
        "Client email",
        "Service",
        "Status",
        "Price",
        "Currency",
        "Location",
        "Late cancellation",
        "Cancellation reason",
    ]
    rows = [
        [
            b.pk,
            _local(b.start, tz_name),
            _local(b.end, tz_name),
            b.client.full_name,
            b.client.email,
            b.service.name,
            b.status,
            b.price,
            b.currency,
            b.location,
            "yes" if b.late_cancellation else "",
            b.cancellation_reason,
        ]
        for b in bookings.select_related("client", "service")
    ]
    return headers, rows


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    return formula_guarded(str(value))


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def formula_guarded(text: str) -> str:
    """A cell a spreadsheet would run as a formula gets a leading apostrophe (OWASP's CSV
    injection advice). Only those: an empty cell stays empty, and a phone number such as
    "+44 7911 123456" (a sign, then digits and spaces) cannot call anything, so it stays
    readable."""
    if not text.startswith(FORMULA_STARTS):
        return text
    if text[0] in "+-" and text[1:].replace(" ", "").isdigit():
        return text
    return "'" + text


def render_csv(headers: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(headers)
    for row in rows:
        writer.writerow([_cell_text(v) for v in row])
    # The BOM makes Excel read UTF-8 names correctly.
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def render_xlsx(headers: Sequence[str], rows: Iterable[Sequence[Any]], *, title: str) -> bytes:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet(title[:31])
    sheet.append(list(headers))
    for row in rows:
        out: list[Any] = []
        for v in row:
            if isinstance(v, Decimal):
                out.append(float(v))
            elif isinstance(v, datetime | date) or v is None or isinstance(v, int | float):
                out.append(v)
            else:
                out.append(_cell_text(v))
        sheet.append(out)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def render(
    fmt: str, headers: Sequence[str], rows: list[list[Any]], *, title: str
) -> tuple[bytes, str]:
    if fmt == "xlsx":
        return (
            render_xlsx(headers, rows, title=title),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    return render_csv(headers, rows), "text/csv; charset=utf-8"


def export_filename(kind: str, fmt: str) -> str:
    return f"{kind}-{timezone.now():%Y%m%d-%H%M}.{fmt}"


def _iso(value: Any) -> Any:
    return value.isoformat() if isinstance(value, datetime | date) else value


def client_data_export(*, client: Client) -> dict[str, Any]:
    """Everything held about one client (a privacy request), health notes included."""
    fields = [
        f.name
        for f in Client._meta.concrete_fields
        if f.name not in ("trainer", "account", "search_text")
    ]
    profile = {name: _iso(getattr(client, name)) for name in fields}
    stats = {k: _iso(v) for k, v in client_stats(client=client).as_dict().items()}
    return {
        "exported_at": timezone.now().isoformat(),
        "client": profile,
        "tags": [t.name for t in client.tags.all()],
        "stats": stats,
        "notes": [
            {
                "id": n.pk,
                "created_at": _iso(n.created_at),
                "updated_at": _iso(n.updated_at),
                "booking_id": n.booking_id,
                "body": n.body,
                "revisions": [
                    {"created_at": _iso(r.created_at), "body": r.body} for r in n.revisions.all()
                ],
            }
            for n in client_notes(client=client)
        ],
        "bookings": [
            {
                "id": b.pk,
                "service": b.service.name,
                "start": _iso(b.start),
                "end": _iso(b.end),
                "status": b.status,
                "price": str(b.price),
                "currency": b.currency,
                "location": b.location,
                "notes": b.notes,
                "cancellation_reason": b.cancellation_reason,
                "late_cancellation": b.late_cancellation,
                "history": [
                    {"at": _iso(e.at), "kind": e.kind, "actor": e.actor, "data": e.data}
                    for e in b.events.all()
                ],
            }
            for b in client_bookings(client=client).prefetch_related("events")
        ],
        "files": [
            {
                "id": f.pk,
                "name": f.name,
                "kind": f.kind,
                "content_type": f.content_type,
                "size": f.size,
                "created_at": _iso(f.created_at),
            }
            for f in client_files(client=client)
        ],
    }
