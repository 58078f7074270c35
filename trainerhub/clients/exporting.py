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

from trainerhub.clients import privacy
from trainerhub.clients.models import Client
from trainerhub.clients.privacy import iso_or_value
from trainerhub.clients.selectors import client_stats
from trainerhub.core.timezones import zone
from trainerhub.core.validation import without_control_characters
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
    # A control character makes openpyxl refuse the whole workbook (IllegalCharacterError)
    # and means nothing in a CSV cell either; tab and line breaks stay.
    return formula_guarded(without_control_characters(str(value)))


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


def client_data_export(*, client: Client) -> dict[str, Any]:
    """Everything held about one client (a privacy request), health notes and the messages
    sent included: one section per holder of the privacy registry (`clients/privacy.py`),
    so a model added there is exported without touching this function."""
    stats = {k: iso_or_value(v) for k, v in client_stats(client=client).as_dict().items()}
    return {
        "exported_at": timezone.now().isoformat(),
        "stats": stats,
        **privacy.export_sections(client),
    }
