"""What every scheduling page shares: the trainer check and small request helpers."""

from __future__ import annotations

from django.http import HttpResponse

from trainerhub.core.errors import DomainError, InvalidInput


def error_text(exc: DomainError) -> str:
    """One sentence for a message banner, from any domain error."""
    if isinstance(exc, InvalidInput):
        return " ".join(m for msgs in exc.errors.values() for m in msgs)
    return exc.detail


def trigger(response: HttpResponse, event: str = "bookingChanged") -> HttpResponse:
    """Tell the page (calendar, lists) that bookings changed so it refreshes itself."""
    response["HX-Trigger"] = event
    return response
