"""The worker's side of Zoom: due tasks claimed, called, recorded, retried.

A due row is claimed with a conditional UPDATE (whoever sets `claimed_until` owns it, on
SQLite and PostgreSQL alike). A retryable failure (429, 5xx, no answer) is tried again after
1, 2, 4 ... minutes (or Zoom's Retry-After), at most MAX_ATTEMPTS times; a refusal gives up
at once. A task given up shows on the trainer's booking page with its reason.

CREATE makes one meeting for the bookings of its session still waiting for one, as the
session is when it runs (an attendee who left or moved is not given it); if the session's
time changed during the call, the meeting is moved after; if nobody is left, it is deleted."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from trainerhub.core.events import emit
from trainerhub.scheduling.meetings import zoom
from trainerhub.scheduling.meetings.models import MeetingTask, task_add
from trainerhub.scheduling.models import Booking, MeetingKind
from trainerhub.scheduling.selectors import SEAT_STATUSES

logger = logging.getLogger("trainerhub.meetings")

LEASE = timedelta(minutes=2)
FIRST_RETRY = timedelta(minutes=1)
MAX_ATTEMPTS = 10
BATCH = 50
KEEP_LOG = 40

Action, Status = MeetingTask.Action, MeetingTask.Status


def _claimable(moment: datetime) -> Q:
    return Q(claimed_until__isnull=True) | Q(claimed_until__lt=moment)


def run_due(*, now: datetime | None = None) -> int:
    """The periodic job: every due task (a batch a run); answers how many were done."""
    moment = now or timezone.now()
    due = (
        MeetingTask.objects.filter(status=Status.PENDING, next_attempt_at__lte=moment)
        .filter(_claimable(moment))
        .order_by("next_attempt_at", "id")
        .values_list("pk", flat=True)[:BATCH]
    )
    done = 0
    for pk in list(due):
        claimed = (
            MeetingTask.objects.filter(pk=pk, status=Status.PENDING)
            .filter(_claimable(moment))
            .update(claimed_until=moment + LEASE)
        )
        if claimed:
            done += attempt(pk, now=moment)
    return done


def attempt(pk: int, *, now: datetime | None = None) -> int:
    """One attempt of a claimed task; 1 when it is done."""
    moment = now or timezone.now()
    task = MeetingTask.objects.get(pk=pk)
    trail: zoom.Trail = []
    error, retry_after, give_up = "", 0, False
    try:
        _RUN[task.action](task, trail)
    except zoom.ZoomRetry as exc:
        error, retry_after = str(exc), exc.after_seconds
    except zoom.ZoomError as exc:
        error, give_up = str(exc), True  # a refusal is not tried again
    except Exception as exc:  # an answer we do not understand: retried, then given up
        logger.exception("zoom task error", extra={"task": task.pk, "action": task.action})
        error = f"Unexpected answer or error ({type(exc).__name__})."
    _record(task, trail, error, retry_after, moment, give_up=give_up)
    if error:
        logger.warning(
            "zoom task failed",
            extra={"task": task.pk, "action": task.action, "error": error, "tries": task.attempts},
        )
    return int(not error)


def _record(
    task: MeetingTask,
    trail: zoom.Trail,
    error: str,
    after: int,
    moment: datetime,
    *,
    give_up: bool = False,
) -> None:
    task.attempts += 1
    task.log = [*task.log, *({"at": moment.isoformat(), **e} for e in trail)][-KEEP_LOG:]
    task.last_error = error[:300]
    task.claimed_until = None
    if not error:
        task.status, task.done_at = Status.DONE, moment
    elif give_up or task.attempts >= MAX_ATTEMPTS:
        task.status = Status.FAILED
    else:
        backoff = FIRST_RETRY * 2 ** (task.attempts - 1)
        task.next_attempt_at = moment + max(backoff, timedelta(seconds=after))
    task.save()


def _minutes(booking: Booking) -> int:
    return max(1, int((booking.end - booking.start).total_seconds() // 60))


def _waiting(task: MeetingTask) -> list[Booking]:
    """The bookings of the task's session still waiting for their Zoom meeting, locked."""
    if task.session_id is None:
        return []
    return list(
        Booking.objects.select_for_update()
        .filter(
            trainer_id=task.trainer_id,
            session_id=task.session_id,
            status__in=SEAT_STATUSES,
            meeting_provider=MeetingKind.ZOOM,
            meeting_id="",
        )
        .select_related("service", "trainer")
        .order_by("id")
    )


def _create(task: MeetingTask, trail: zoom.Trail) -> None:
    with transaction.atomic():
        waiting = _waiting(task)
    if not waiting:
        return
    first = waiting[0]
    topic = f"{first.service.name} with {first.trainer.display_name}"
    start, minutes = first.start, _minutes(first)
    meeting = zoom.create_meeting(topic=topic, start=start, minutes=minutes, trail=trail)
    with transaction.atomic():
        waiting = _waiting(task)
        for booking in waiting:
            booking.meeting_id, booking.meeting_url = meeting.id, meeting.join_url
            booking.save(update_fields=["meeting_id", "meeting_url"])
            emit("booking.meeting_ready", booking=booking)
        if not waiting:
            # Everybody left while Zoom made it.
            _later(task, Action.DELETE, meeting.id)
        elif (waiting[0].start, _minutes(waiting[0])) != (start, minutes):
            _later(task, Action.UPDATE, meeting.id)


def _later(task: MeetingTask, action: str, meeting_id: str) -> None:
    task_add(
        trainer_id=task.trainer_id,
        booking_id=task.booking_id,
        session_id=task.session_id,
        action=action,
        meeting_id=meeting_id,
    )


def _update(task: MeetingTask, trail: zoom.Trail) -> None:
    holder = (
        Booking.objects.filter(
            trainer_id=task.trainer_id, meeting_id=task.meeting_id, status__in=SEAT_STATUSES
        )
        .order_by("id")
        .first()
    )
    if holder is None:
        return  # cancelled meanwhile: its delete task follows
    found = zoom.update_meeting(
        task.meeting_id, start=holder.start, minutes=_minutes(holder), trail=trail
    )
    if not found:
        # Deleted in Zoom by hand: a new meeting for its bookings.
        with transaction.atomic():
            holders = Booking.objects.filter(trainer_id=task.trainer_id, meeting_id=task.meeting_id)
            sessions = set(holders.values_list("session_id", flat=True))
            holders.update(meeting_id="", meeting_url="")
            for session_id in sorted(sessions):
                task_add(
                    trainer_id=task.trainer_id,
                    booking_id=task.booking_id,
                    session_id=session_id,
                    action=Action.CREATE,
                )


def _delete(task: MeetingTask, trail: zoom.Trail) -> None:
    zoom.delete_meeting(task.meeting_id, trail=trail)


_RUN: dict[str, Callable[[MeetingTask, zoom.Trail], None]] = {
    Action.CREATE: _create,
    Action.UPDATE: _update,
    Action.DELETE: _delete,
}
