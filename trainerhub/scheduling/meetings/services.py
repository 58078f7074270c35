"""A booking's meeting: given when it is booked, moved with it, removed when it is cancelled.

These run inside the booking's own transaction (domain events, core/events.py), so a booking
and its link commit together. A fixed link and a Jitsi room are written at once; a Zoom
meeting is a task for the worker (tasks.py), so a Zoom outage never blocks a booking: the
link follows, and the client is told (event `booking.meeting_ready`).

Every attendee of a group session shares one meeting: a booking that joins a session takes
the meeting its attendees already have, and a meeting is deleted only when no booking that
holds a seat still uses it."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from trainerhub.scheduling.meetings import jitsi
from trainerhub.scheduling.meetings.models import MeetingTask, task_add
from trainerhub.scheduling.models import Booking, MeetingKind
from trainerhub.scheduling.selectors import SEAT_STATUSES

MEETING_FIELDS = ["meeting_provider", "meeting_url", "meeting_id"]


def _holders(booking: Booking) -> QuerySet[Booking]:
    """The other bookings holding a seat, of the same trainer."""
    return Booking.objects.filter(trainer_id=booking.trainer_id, status__in=SEAT_STATUSES).exclude(
        pk=booking.pk
    )


def _peer(booking: Booking) -> Booking | None:
    """Another attendee of the booking's session who already has its meeting."""
    return (
        _holders(booking)
        .filter(session_id=booking.session_id)
        .exclude(meeting_provider="")
        .order_by("id")
        .first()
    )


def _shared(booking: Booking, *, staying: bool = False) -> bool:
    """Whether another seat-holding booking uses this booking's meeting. `staying`: one whose
    session stays where it is (a whole session being moved is inactive while its attendees
    move, and they follow this booking with the same meeting)."""
    holders = _holders(booking)
    if staying:
        holders = holders.filter(session__active=True)
    if booking.meeting_id:
        return holders.filter(meeting_id=booking.meeting_id).exists()
    if booking.meeting_url:
        return holders.filter(meeting_url=booking.meeting_url).exists()
    # A Zoom meeting still to be made is made for whoever is in the session then.
    return False


def _enqueue(booking: Booking, action: str, meeting_id: str = "") -> None:
    # Not one in hand: a worker may have read the booking before this change.
    pending = MeetingTask.objects.filter(
        trainer_id=booking.trainer_id,
        action=action,
        status=MeetingTask.Status.PENDING,
        claimed_until__isnull=True,
    )
    if action == MeetingTask.Action.CREATE:
        pending = pending.filter(session_id=booking.session_id)
    else:
        pending = pending.filter(meeting_id=meeting_id)
    # One waiting task says it all: each reads the booking as it is when it runs.
    if not pending.exists():
        task_add(
            trainer_id=booking.trainer_id,
            booking_id=booking.pk,
            session_id=booking.session_id,
            action=action,
            meeting_id=meeting_id,
        )


def _fresh(booking: Booking) -> None:
    """A meeting of the booking's own, of its service's kind."""
    service = booking.service
    booking.meeting_provider = service.meeting_kind
    booking.meeting_id = ""
    if service.meeting_kind == MeetingKind.JITSI:
        booking.meeting_url = jitsi.room_url()
    elif service.meeting_kind == MeetingKind.ZOOM:
        booking.meeting_url = ""
        _enqueue(booking, MeetingTask.Action.CREATE)
    else:
        booking.meeting_url = service.video_url


def _take(booking: Booking, peer: Booking) -> None:
    for name in MEETING_FIELDS:
        setattr(booking, name, getattr(peer, name))


def _let_go(booking: Booking) -> None:
    """The booking stops using its meeting: a Zoom meeting nobody else uses is deleted."""
    if booking.meeting_provider == MeetingKind.ZOOM and booking.meeting_id and not _shared(booking):
        _enqueue(booking, MeetingTask.Action.DELETE, booking.meeting_id)


def meeting_assign(booking: Booking) -> None:
    """A new booking of an online service: its session's meeting, else a new one."""
    if not booking.service.is_online:
        return
    peer = _peer(booking)
    if peer is not None:
        _take(booking, peer)
    else:
        _fresh(booking)
    booking.save(update_fields=MEETING_FIELDS)


def meeting_move(booking: Booking) -> None:
    """A booking now in another session (its meeting fields still the old session's): it
    takes the new session's meeting, or a new one when its old meeting stays with other
    attendees, or keeps its own, moved (Zoom: the meeting's time changed by the worker), as
    a whole group session moved keeps its meeting."""
    if not booking.meeting_provider:
        meeting_assign(booking)
        return
    peer = _peer(booking)
    if peer is not None:
        _let_go(booking)
        _take(booking, peer)
    elif _shared(booking, staying=True):
        _fresh(booking)
    elif booking.meeting_provider == MeetingKind.ZOOM and booking.meeting_id:
        _enqueue(booking, MeetingTask.Action.UPDATE, booking.meeting_id)
        return
    elif booking.meeting_provider == MeetingKind.ZOOM:
        # Its meeting was still to be made for the old session: made for the new one.
        _enqueue(booking, MeetingTask.Action.CREATE)
        return
    else:
        return
    booking.save(update_fields=MEETING_FIELDS)


def meeting_release(booking: Booking) -> None:
    """A booking that no longer holds a seat: its Zoom meeting goes once nobody uses it."""
    _let_go(booking)


def on_created(*, event: str, booking: Booking, **_: Any) -> None:
    meeting_assign(booking)


def on_rescheduled(*, event: str, booking: Booking, **_: Any) -> None:
    meeting_move(booking)


def on_ended(*, event: str, booking: Booking, **_: Any) -> None:
    meeting_release(booking)


HANDLERS = {
    "booking.created": on_created,
    "booking.rescheduled": on_rescheduled,
    "booking.cancelled": on_ended,
    "booking.declined": on_ended,
}
