"""The "add to calendar" file of one booking."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpResponse
from icalendar import Calendar, Event

from trainerhub.scheduling.models import Booking


def booking_ics(booking: Booking, *, manage_url: str) -> bytes:
    cal = Calendar()
    cal.add("prodid", "-//TrainerHub//Portal//EN")
    cal.add("version", "2.0")
    event = Event()
    host = settings.SITE_URL.split("://")[-1].split("/")[0] or "trainerhub"
    event.add("uid", f"booking-{booking.pk}@{host}")
    event.add("dtstamp", booking.updated_at)
    event.add("dtstart", booking.start)
    event.add("dtend", booking.end)
    event.add("summary", f"{booking.service.name} with {booking.trainer.display_name}")
    location = "Online" if booking.service.is_online and not booking.location else booking.location
    if location:
        event.add("location", location)
    event.add("description", f"Change or cancel: {manage_url}")
    event.add("url", manage_url)
    event.add("sequence", booking.sequence)
    event.add("status", "CANCELLED" if not booking.is_active else "CONFIRMED")
    cal.add_component(event)
    return cal.to_ical()


def ics_response(booking: Booking, *, manage_url: str) -> HttpResponse:
    response = HttpResponse(
        booking_ics(booking, manage_url=manage_url), content_type="text/calendar"
    )
    response["Content-Disposition"] = f'attachment; filename="booking-{booking.pk}.ics"'
    return response
