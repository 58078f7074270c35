"""iCalendar (RFC 5545) for invitations and feeds: one VEVENT per booking with a stable UID,
SEQUENCE from the booking, times in the trainer's zone with its VTIMEZONE."""

from __future__ import annotations

from collections.abc import Iterable
from urllib.parse import urlsplit

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Event, vCalAddress, vText

from trainerhub.core.timezones import zone
from trainerhub.notifications.facts import BookingFacts, current, meeting_link

STATUS = {
    "pending": "TENTATIVE",
    "confirmed": "CONFIRMED",
    "completed": "CONFIRMED",
    "no_show": "CONFIRMED",
    "cancelled": "CANCELLED",
    "declined": "CANCELLED",
}
CLOSED = ("cancelled", "declined")


def booking_uid(booking) -> str:
    host = urlsplit(settings.SITE_URL).hostname or "trainerhub"
    return f"booking-{booking.pk}@{host}"


def manage_url(booking) -> str:
    return f"{settings.SITE_URL}/manage/{booking.manage_token}/" if booking.manage_token else ""


def booking_event(booking, *, for_client: bool, facts: BookingFacts | None = None) -> Event:
    """The booking's VEVENT: as it is now, or as `facts` froze it (an email's invitation
    carries the times, status and SEQUENCE of its own change, not of a later one)."""
    trainer, client = booking.trainer, booking.client
    facts = facts or current(booking)
    tz = zone(trainer.timezone or "UTC")
    event = Event()
    event.add("uid", booking_uid(booking))
    event.add("sequence", facts.sequence)
    event.add("dtstamp", timezone.now())
    event.add("dtstart", facts.start.astimezone(tz))
    event.add("dtend", facts.end.astimezone(tz))
    other = trainer.display_name if for_client else facts.client_full_name
    event.add("summary", f"{facts.service_name} with {other}")
    link = meeting_link(booking, facts)
    if facts.location or link:
        event.add("location", facts.location or link)
    if link:
        event.add("url", link)
    lines = [f"Join the video call: {link}"] if link else []
    if for_client and booking.manage_token and facts.status not in CLOSED:
        lines.append(f"Manage this booking: {manage_url(booking)}")
    if not for_client and booking.notes:
        lines.append(booking.notes)
    if facts.status in CLOSED and facts.reason:
        lines.append(f"Cancelled: {facts.reason}")
    if lines:
        event.add("description", "\n".join(lines))
    event.add("status", STATUS.get(facts.status, "CONFIRMED"))
    if facts.changed_at:
        event.add("last-modified", facts.changed_at)
    organizer = vCalAddress(f"mailto:{trainer.email}")
    organizer.params["cn"] = vText(trainer.display_name)
    event.add("organizer", organizer)
    if client.email:
        attendee = vCalAddress(f"mailto:{client.email}")
        attendee.params["cn"] = vText(facts.client_full_name)
        attendee.params["role"] = vText("REQ-PARTICIPANT")
        event.add("attendee", attendee)
    return event


def calendar_for(
    bookings: Iterable,
    *,
    name: str,
    for_client: bool,
    method: str = "",
    facts: BookingFacts | None = None,
) -> Calendar:
    cal = Calendar()
    cal.add("prodid", "-//TrainerHub//Bookings//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    if method:
        cal.add("method", method)
    cal.add("x-wr-calname", name)
    for booking in bookings:
        cal.add_component(booking_event(booking, for_client=for_client, facts=facts))
    # One VTIMEZONE per TZID the events use, generated from the zoneinfo database.
    cal.add_missing_timezones()
    return cal


def invitation(booking, method: str, facts: BookingFacts | None = None) -> bytes:
    """The .ics attached to a client email: REQUEST adds/updates, CANCEL removes; with
    `facts`, the booking as that email's change left it."""
    return calendar_for(
        [booking], name=booking.trainer.display_name, for_client=True, method=method, facts=facts
    ).to_ical()
