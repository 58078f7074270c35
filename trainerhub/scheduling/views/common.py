"""What every scheduling page shares: small request and response helpers."""

from __future__ import annotations

from datetime import datetime

from django.http import HttpResponse

from trainerhub.core.errors import DomainError, InvalidInput
from trainerhub.core.timezones import zone
from trainerhub.core.validation import instant_in_range


def error_text(exc: DomainError) -> str:
    """One sentence for a message banner, from any domain error."""
    if isinstance(exc, InvalidInput):
        return " ".join(m for msgs in exc.errors.values() for m in msgs)
    return exc.detail


def trigger(response: HttpResponse, event: str = "bookingChanged") -> HttpResponse:
    """Tell the page (calendar, lists) that bookings changed so it refreshes itself."""
    response["HX-Trigger"] = event
    return response


def parse_calendar_instant(raw: str, tz_name: str) -> datetime | None:
    """An ISO time sent by the calendar; a naive one is a wall-clock time in `tz_name`
    (fold=0, like the engine). None when missing or malformed."""
    if not raw:
        return None
    try:
        # A "+" in a query string arrives as a space.
        value = datetime.fromisoformat(raw.replace("Z", "+00:00").replace(" ", "+"))
    except ValueError:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=zone(tz_name))
    # Outside the product's one date range it is as unusable as a malformed one.
    return value if instant_in_range(value) else None
