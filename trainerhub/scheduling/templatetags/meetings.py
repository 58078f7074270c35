"""The meeting row of the trainer's booking and session panels (scheduling's pages show it
without importing this app): the link, a Zoom meeting still being made, or why it failed."""

from __future__ import annotations

from typing import Any

from django import template

from trainerhub.scheduling.meetings import selectors
from trainerhub.scheduling.models import Booking

register = template.Library()


@register.inclusion_tag("scheduling/_meeting_facts.html")
def meeting_facts(booking: Booking | str | None) -> dict[str, Any]:
    # A session panel with nobody seated passes "" (its first attendee).
    if not isinstance(booking, Booking) or not booking.meeting_provider or not booking.is_active:
        return {"shown": False}
    failed = selectors.failed_for(booking)
    return {
        "shown": True,
        "url": booking.meeting_url,
        "failed": failed.last_error if failed else "",
    }
