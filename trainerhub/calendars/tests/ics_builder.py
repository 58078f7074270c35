"""Small ICS documents with events at times relative to today (the window moves with it)."""

from __future__ import annotations

from datetime import UTC, datetime


def _stamp(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def ics(*events: tuple[datetime, datetime], extra: str = "") -> bytes:
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//TrainerHub tests//EN"]
    for n, (start, end) in enumerate(events):
        lines += [
            "BEGIN:VEVENT",
            f"UID:event-{n}@example.com",
            "DTSTAMP:20260101T000000Z",
            f"DTSTART:{_stamp(start)}",
            f"DTEND:{_stamp(end)}",
            "SUMMARY:Private appointment",
            "END:VEVENT",
        ]
    if extra:
        lines.append(extra.strip())
    lines.append("END:VCALENDAR")
    return ("\r\n".join(lines) + "\r\n").encode()
