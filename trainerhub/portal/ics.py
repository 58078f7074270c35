"""The "add to calendar" download of one booking: the same VEVENT (UID, SEQUENCE, VTIMEZONE)
as the invitations the client receives by email, so a later update replaces this entry."""

from __future__ import annotations

from django.http import HttpResponse

from trainerhub.notifications.ics import calendar_for
from trainerhub.scheduling.models import Booking


def ics_response(booking: Booking) -> HttpResponse:
    calendar = calendar_for([booking], name=booking.trainer.display_name, for_client=True)
    response = HttpResponse(calendar.to_ical(), content_type="text/calendar")
    response["Content-Disposition"] = f'attachment; filename="booking-{booking.pk}.ics"'
    return response
