"""iCalendar (RFC 5545) for invitations and feeds: one VEVENT per booking with a stable UID,
SEQUENCE from the booking, times in the trainer's zone with its VTIMEZONE."""

from __future__ import annotations

from collections.abc import Iterable
from urllib.parse import urlsplit

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Event, vCalAddress, vText

from trainerhub.core.timezones import zone

STATUS = {
    "pending": "TENTATIVE",
    "confirmed": "CONFIRMED",
    "completed": "CONFIRMED",
    "no_show": "CONFIRMED",
    "cancelled": "CANCELLED",
    "declined": "CANCELLED",
}


def booking_uid(booking) -> str:
    host = urlsplit(settings.SITE_URL).hostname or "trainerhub"
    return f"booking-{booking.pk}@{host}"


def manage_url(booking) -> str:
    return f"{settings.SITE_URL}/manage/{booking.manage_token}/" if booking.manage_token else ""


def booking_event(booking, *, for_client: bool) -> Event:
    trainer, client = booking.trainer, booking.client
    tz = zone(trainer.timezone or "UTC")
    event = Event()
    event.add("uid", booking_uid(booking))
    event.add("sequence", booking.sequence)
    event.add("dtstamp", timezone.now())
    event.add("dtstart", booking.start.astimezone(tz))
    event.add("dtend", booking.end.astimezone(tz))
    other = trainer.display_name if for_client else client.full_name
    event.add("summary", f"{booking.service.name} with {other}")
    if booking.location:
        event.add("location", booking.location)
    lines = []
    if for_client and booking.manage_token:
        lines.append(f"Manage this booking: {manage_url(booking)}")
    if not for_client and booking.notes:
        lines.append(booking.notes)
    if booking.status in ("cancelled", "declined") and booking.cancellation_reason:
        lines.append(f"Cancelled: {booking.cancellation_reason}")
    if lines:
        event.add("description", "\n".join(lines))
    event.add("status", STATUS.get(booking.status, "CONFIRMED"))
    if booking.updated_at:
        event.add("last-modified", booking.updated_at)
    organizer = vCalAddress(f"mailto:{trainer.email}")
    organizer.params["cn"] = vText(trainer.display_name)
    event.add("organizer", organizer)
    if client.email:
        attendee = vCalAddress(f"mailto:{client.email}")
        attendee.params["cn"] = vText(client.full_name)
        attendee.params["role"] = vText("REQ-PARTICIPANT")
        event.add("attendee", attendee)
    return event


def calendar_for(bookings: Iterable, *, name: str, for_client: bool, method: str = "") -> Calendar:
    cal = Calendar()
    cal.add("prodid", "-//TrainerHub//Bookings//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    if method:
        cal.add("method", method)
    cal.add("x-wr-calname", name)
    for booking in bookings:
        cal.add_component(booking_event(booking, for_client=for_client))
    # One VTIMEZONE per TZID the events use, generated from the zoneinfo database.
    cal.add_missing_timezones()
    return cal


def invitation(booking, method: str) -> bytes:
    """The .ics attached to a client email: REQUEST adds/updates, CANCEL removes."""
    return calendar_for(
        [booking], name=booking.trainer.display_name, for_client=True, method=method
    ).to_ical()
