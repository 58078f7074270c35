"""What the pages read of a booking's meeting."""

from __future__ import annotations

from django.db.models import Q

from trainerhub.scheduling.meetings.models import MeetingTask
from trainerhub.scheduling.models import Booking


def failed_for(booking: Booking) -> MeetingTask | None:
    """The given-up task of this booking's meeting, for the trainer's booking page (None
    once the booking has its link)."""
    if booking.meeting_url or booking.meeting_provider != "zoom":
        return None
    return (
        MeetingTask.objects.filter(trainer_id=booking.trainer_id, status=MeetingTask.Status.FAILED)
        .filter(Q(session_id=booking.session_id) | Q(booking_id=booking.pk))
        .exclude(action=MeetingTask.Action.DELETE)
        .order_by("-id")
        .first()
    )
