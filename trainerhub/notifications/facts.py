"""What a message says about its booking, frozen when the change happened.

An outbox row is written inside the transaction of the change that causes it, but the worker
sends it later, possibly after further changes. Composed from the booking as it is at send
time, a "Booked" email would show the moved time and a cancelled status, and two moves in
one pass would both say "moved to" the last time. So the event handlers freeze the facts
of their own change into the row (`Notification.context["facts"]`), and composition reads
them back; rows written before this existed fall back to the booking as it is now.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.utils import timezone

from trainerhub.core.timezones import is_valid_timezone

FACTS_KEY = "facts"


@dataclass(frozen=True)
class BookingFacts:
    start: datetime
    end: datetime
    status: str
    # The booking's iCalendar SEQUENCE after this change: each change's .ics carries its own.
    sequence: int
    service_name: str
    is_online: bool
    location: str
    video_url: str
    # The cancellation reason when the booking was cancelled by this change.
    reason: str
    client_first_name: str
    client_full_name: str
    # The client's zone at that moment; "" where no one needed it (the calendar feeds).
    client_timezone: str
    changed_at: datetime | None = None


def client_timezone(client, trainer) -> str:
    """The zone the client last booked in, else their account's, else the trainer's: one
    answer for every message to them, so the confirmation and the reminder agree."""
    account = getattr(client, "account", None) if client is not None else None
    for tz_name in (
        getattr(client, "timezone", ""),
        getattr(account, "timezone", "") if account else "",
    ):
        if tz_name and is_valid_timezone(tz_name):
            return tz_name
    return trainer.timezone or "UTC"


def current(booking, *, client_tz: str = "") -> BookingFacts:
    """The booking as it is now (feeds, downloads, reminders and rows without facts)."""
    service, client = booking.service, booking.client
    cancelled = booking.status in ("cancelled", "declined")
    return BookingFacts(
        start=booking.start,
        end=booking.end,
        status=booking.status,
        sequence=booking.sequence,
        service_name=service.name,
        is_online=bool(service.is_online),
        location=booking.location or "",
        video_url=booking.meeting_url or "",
        reason=booking.cancellation_reason if cancelled else "",
        client_first_name=client.first_name if client else "",
        client_full_name=client.full_name if client else "",
        client_timezone=client_tz,
        changed_at=booking.updated_at,
    )


def meeting_link(booking, facts: BookingFacts) -> str:
    """The link to join, read when the message goes out rather than frozen: a Zoom meeting
    is made after its booking, and an attendee moved into a group takes the group's. Only
    while the booking stands, and never in a message of a booking that ended."""
    if facts.status in ("cancelled", "declined") or booking.status not in ("pending", "confirmed"):
        return ""
    return booking.meeting_url or ""


def freeze(booking) -> dict[str, Any]:
    """The facts of the change just made, as JSON for the outbox row."""
    facts = current(booking, client_tz=client_timezone(booking.client, booking.trainer))
    return {
        "start": facts.start.isoformat(),
        "end": facts.end.isoformat(),
        "status": facts.status,
        "sequence": facts.sequence,
        "service": facts.service_name,
        "online": facts.is_online,
        "location": facts.location,
        "video_url": facts.video_url,
        "reason": facts.reason,
        "client_first_name": facts.client_first_name,
        "client_name": facts.client_full_name,
        "client_tz": facts.client_timezone,
        "changed_at": timezone.now().isoformat(),
    }


def thaw(data: Any) -> BookingFacts | None:
    """Facts read back from a row, or None when the row has none (older rows) or they do
    not parse (then the booking as it is now is the best we can say)."""
    if not isinstance(data, dict) or not data.get("start"):
        return None
    try:
        return BookingFacts(
            start=datetime.fromisoformat(data["start"]),
            end=datetime.fromisoformat(data["end"]),
            status=str(data["status"]),
            sequence=int(data["sequence"]),
            service_name=str(data["service"]),
            is_online=bool(data.get("online")),
            location=str(data.get("location", "")),
            video_url=str(data.get("video_url", "")),
            reason=str(data.get("reason", "")),
            client_first_name=str(data.get("client_first_name", "")),
            client_full_name=str(data.get("client_name", "")),
            client_timezone=str(data.get("client_tz", "")),
            changed_at=datetime.fromisoformat(data["changed_at"])
            if data.get("changed_at")
            else None,
        )
    except (KeyError, TypeError, ValueError):
        return None


def series_dates(bookings: Any) -> list[dict[str, str]]:
    """The dates of a series' message, frozen as they were at the change."""
    return [{"start": b.start.isoformat(), "end": b.end.isoformat()} for b in bookings]


def series_booked(series: Any, confirmed: Any, refused: Any, actor: str) -> dict[str, Any]:
    """What a "series booked" message says (email and the client's centre alike): its dates,
    and those it skipped and why."""
    return {
        "actor": actor,
        "every_weeks": series.every_weeks,
        "dates": series_dates(confirmed),
        "skipped": [{"start": r["start"], "detail": r["detail"]} for r in refused],
    }


def series_cancelled(bookings: Any, actor: str, reason: str) -> dict[str, Any]:
    """What a "cancel this and following" message says: every date it cancelled."""
    return {"actor": actor, "reason": reason, "dates": series_dates(bookings)}
