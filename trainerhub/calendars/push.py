"""Writing bookings into the connected calendar, through an outbox.

A booking created, moved or cancelled (core/events.py) writes a CalendarPush row in the
booking's own transaction, with the facts of that moment (title, times); the worker's job
sends it (core/periodic.py). A due row is claimed with a conditional UPDATE (whoever sets
`claimed_until` owns it), the rows of one booking go out in order, and every attempt is kept
in the row's log and the application log. 429, 5xx and no answer are retried with exponential
backoff (1, 2, 4 ... minutes, at most an hour, or later if the provider asks) until 24 hours
after the change; any other refusal gives up at once and is shown on the settings page. A 401
refreshes the token once (remote.py); a second one marks the connection "reconnect needed",
and its rows wait for the reconnection.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from trainerhub.calendars.models import CalendarPush, Connection, SyncedEvent
from trainerhub.calendars.providers import api
from trainerhub.calendars.remote import EventBody, EventGone, ReconnectNeeded, RemoteError

logger = logging.getLogger("trainerhub.calendars")

RETRY_FOR = timedelta(hours=24)
FIRST_RETRY = timedelta(minutes=1)
LONGEST_WAIT = timedelta(hours=1)
LEASE = timedelta(minutes=2)
BATCH = 100
KEEP_ATTEMPTS = 30
UPSERT_EVENTS = ("booking.created", "booking.rescheduled")
DELETE_EVENTS = ("booking.cancelled", "booking.declined")


# --- the event handlers: a row in the booking's transaction ----------------------------------


def on_booking_event(*, event: str, booking: Any, **_: Any) -> None:
    op = CalendarPush.Op.UPSERT if event in UPSERT_EVENTS else CalendarPush.Op.DELETE
    now = timezone.now()
    for connection in Connection.objects.filter(trainer_id=booking.trainer_id):
        if _wanted(connection, booking.pk, op):
            _queue(connection, booking, op, now)


def _wanted(connection: Connection, booking_id: int, op: str) -> bool:
    """A new time goes to the chosen calendar; a delete only where the event was written
    (or is about to be)."""
    if op == CalendarPush.Op.UPSERT:
        return bool(connection.write_calendar)
    return _written_or_queued(connection, booking_id)


def _queue(connection: Connection, booking: Any, op: str, now: datetime) -> None:
    CalendarPush.objects.create(
        trainer_id=booking.trainer_id,
        connection=connection,
        booking_id=booking.pk,
        client_id=booking.client_id,
        op=op,
        summary=f"{booking.service.name}: {booking.client.full_name}"[:300],
        start=booking.start,
        end=booking.end,
        next_attempt_at=now,
    )


def _written_or_queued(connection: Connection, booking_id: int) -> bool:
    return (
        SyncedEvent.objects.filter(connection=connection, booking_id=booking_id).exists()
        or connection.pushes.filter(
            booking_id=booking_id, status=CalendarPush.Status.PENDING
        ).exists()
    )


# --- the worker's job -------------------------------------------------------------------------


def _claimable(moment: datetime) -> Q:
    return Q(claimed_until__isnull=True) | Q(claimed_until__lt=moment)


def _claim(pk: int, moment: datetime) -> bool:
    return bool(
        CalendarPush.objects.filter(pk=pk, status=CalendarPush.Status.PENDING)
        .filter(_claimable(moment))
        .update(claimed_until=moment + LEASE)
    )


def push_due(*, now: datetime | None = None) -> int:
    """Send every due write (a batch a run) of the connections that work; how many went."""
    moment = now or timezone.now()
    due = (
        CalendarPush.objects.filter(
            status=CalendarPush.Status.PENDING,
            next_attempt_at__lte=moment,
            connection__status=Connection.Status.ACTIVE,
        )
        .filter(_claimable(moment))
        .order_by("id")
        .values_list("pk", "connection_id", "booking_id")[:BATCH]
    )
    written = 0
    held: set[tuple[int, int]] = set()  # a booking whose earlier write did not go: wait
    for pk, connection_id, booking_id in list(due):
        key = (connection_id, booking_id)
        earlier = CalendarPush.objects.filter(
            connection_id=connection_id,
            booking_id=booking_id,
            status=CalendarPush.Status.PENDING,
            pk__lt=pk,
        )
        if key in held or earlier.exists() or not _claim(pk, moment):
            held.add(key)
            continue
        ok = attempt(pk, now=moment)
        written += ok
        if not ok:
            held.add(key)
    return written


def attempt(pk: int, *, now: datetime | None = None) -> int:
    """One attempt of a claimed row; 1 when it was written."""
    moment = now or timezone.now()
    row = CalendarPush.objects.select_related("connection").get(pk=pk)
    try:
        result = _send(row, moment)
    except ReconnectNeeded as exc:
        # Not the row's fault: it waits, unclaimed, for the trainer to connect again.
        _record(row, moment, status_code=exc.status, error=str(exc), retry_at=moment)
        return 0
    except RemoteError as exc:
        retry_at = _next_attempt(row, moment, exc) if exc.retry else None
        _record(row, moment, status_code=exc.status, error=str(exc), retry_at=retry_at)
        return 0
    _record(row, moment, status_code=200, result=result)
    return 1


def _send(row: CalendarPush, now: datetime) -> str:
    connection = row.connection
    provider = api(connection)
    link = SyncedEvent.objects.filter(connection=connection, booking_id=row.booking_id).first()
    if row.op == CalendarPush.Op.DELETE:
        if link is None:
            return "nothing to delete"
        provider.delete(connection, link.calendar_remote_id, link.remote_id, now=now)
        link.delete()
        return "deleted"
    body = _body(row)
    if link is not None:
        try:
            provider.update(connection, link.calendar_remote_id, link.remote_id, body, now=now)
        except EventGone:
            link.delete()  # deleted over there; the booking stands, so it is written anew
        else:
            _link(connection, body, link.calendar_remote_id, link.remote_id)
            return "moved"
    if not connection.write_calendar:
        return "no calendar chosen"
    remote_id = provider.insert(connection, connection.write_calendar, body, now=now)
    _link(connection, body, connection.write_calendar, remote_id)
    return "created"


def _body(row: CalendarPush) -> EventBody:
    if row.start is None or row.end is None:  # never: every row is written with the times
        raise RemoteError("The booking's times are missing.")
    return EventBody(
        booking_id=row.booking_id,
        summary=row.summary,
        description=_description(row),
        start=row.start,
        end=row.end,
    )


def _link(connection: Connection, body: EventBody, calendar_id: str, remote_id: str) -> None:
    SyncedEvent.objects.update_or_create(
        connection=connection,
        booking_id=body.booking_id,
        defaults={
            "trainer_id": connection.trainer_id,
            "calendar_remote_id": calendar_id,
            "remote_id": remote_id,
            "start": body.start,
            "end": body.end,
            "change": SyncedEvent.Change.NONE,
            "remote_start": None,
            "remote_end": None,
            "change_seen_at": None,
        },
    )


def _description(row: CalendarPush) -> str:
    path = reverse("scheduling:booking_detail", args=[row.booking_id])
    return (
        f"Booked in TrainerHub: {settings.SITE_URL}{path}\n"
        "Change or cancel it there: changes made here are not applied to the booking."
    )


def _next_attempt(row: CalendarPush, moment: datetime, exc: RemoteError) -> datetime | None:
    """After the row's n-th failure: 1, 2, 4 ... minutes (at most an hour, at least what the
    provider asked for); None once 24 hours have passed since the change."""
    deadline = row.created_at + RETRY_FOR
    if moment >= deadline:
        return None
    wait = min(FIRST_RETRY * 2**row.attempts, LONGEST_WAIT)
    if exc.retry_after:
        wait = max(wait, timedelta(seconds=exc.retry_after))
    return min(moment + wait, deadline)


def _record(
    row: CalendarPush,
    moment: datetime,
    *,
    status_code: int | None,
    error: str = "",
    result: str = "",
    retry_at: datetime | None = None,
) -> None:
    entry = {"at": moment.isoformat(), "status_code": status_code, "error": error, "result": result}
    row.attempts += 1
    row.log = [*row.log, entry][-KEEP_ATTEMPTS:]
    row.claimed_until = None
    if not error:
        row.status, row.done_at = CalendarPush.Status.DONE, moment
    elif retry_at is None:
        row.status = CalendarPush.Status.FAILED
    else:
        row.next_attempt_at = retry_at
    row.save(
        update_fields=["attempts", "log", "claimed_until", "status", "done_at", "next_attempt_at"]
    )
    logger.info(
        "calendar write attempt",
        extra={
            "push_id": row.pk,
            "connection_id": row.connection_id,
            "booking_id": row.booking_id,
            "op": row.op,
            "status_code": status_code,
            "error": error,
            "result": result,
            "push_status": row.status,
        },
    )
