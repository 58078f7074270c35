"""Reading connected Google / Microsoft calendars into busy ranges, incrementally.

Each synced calendar keeps its sync token (Google) or delta link (Graph); a read asks only for
what changed since. A 410 Gone, a new calendar or a horizon that moved on a day reads it all
again. Events are kept as times only (RemoteEvent); the calendar's busy ranges
(scheduling.ExternalBusy, which the slot loader and the explainer read like an ICS
calendar's) are rebuilt from them in the same transaction. Free / transparent events never
block; our own events (the booking id in their extended property, or an id we wrote) are
never busy: a change to one of them (moved, deleted) is recorded on its SyncedEvent and shown
to the trainer, never applied to the booking.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from trainerhub.calendars import selectors
from trainerhub.calendars.models import (
    BUSY_ID_OFFSET,
    Connection,
    RemoteCalendar,
    RemoteEvent,
    SyncedEvent,
)
from trainerhub.calendars.providers import api
from trainerhub.calendars.remote import Item, RemoteError, SyncExpired
from trainerhub.scheduling import slot_cache
from trainerhub.scheduling.models import ExternalBusy

logger = logging.getLogger("trainerhub.calendars")

Window = tuple[datetime, datetime]


def busy_id(calendar: RemoteCalendar) -> int:
    return BUSY_ID_OFFSET + calendar.pk


def connection_sync(*, connection: Connection, now: datetime | None = None) -> bool:
    """Read every busy (and the write) calendar of the connection now. On failure the error
    is recorded and the last good ranges are kept; True when all were read."""
    now = now or timezone.now()
    connection.last_attempt_at = now
    if connection.status != Connection.Status.ACTIVE:
        connection.save(update_fields=["last_attempt_at"])
        return False
    try:
        window = _window(connection, now)
        for calendar in selectors.synced_calendars(connection=connection):
            _sync_calendar(connection, calendar, window=window, now=now)
    except RemoteError as exc:
        return _failed(connection, str(exc))
    except Exception:
        # One odd answer must not stop the worker or the other connections; the trace goes to
        # the log (it holds no token), the trainer sees a plain message.
        logger.exception("calendar sync crashed", extra={"connection_id": connection.pk})
        return _failed(connection, "The calendar could not be read (unexpected data).")
    connection.last_success_at = now
    connection.last_error = ""
    connection.save(update_fields=["last_attempt_at", "last_success_at", "last_error"])
    return True


def sync_due(*, now: datetime | None = None) -> int:
    """The worker's job (core/periodic.py), on the ICS calendars' schedule: every connection
    not read for CALENDAR_FETCH_MINUTES, claimed with a conditional UPDATE of its last
    attempt so two workers never read one in the same round. Answers how many were read."""
    now = now or timezone.now()
    since = now - timedelta(minutes=settings.CALENDAR_FETCH_MINUTES)
    due = Connection.objects.filter(status=Connection.Status.ACTIVE).filter(
        Q(last_attempt_at__isnull=True) | Q(last_attempt_at__lte=since)
    )
    read = 0
    for row in due.order_by("last_attempt_at", "id"):
        claimed = Connection.objects.filter(pk=row.pk, last_attempt_at=row.last_attempt_at).update(
            last_attempt_at=now
        )
        if claimed and connection_sync(connection=row, now=now):
            read += 1
    return read


def calendar_forget(calendar: RemoteCalendar) -> None:
    """Drop what was read of a calendar no longer synced (its busy ranges too)."""
    calendar.events.all().delete()
    ExternalBusy.objects.filter(
        trainer_id=calendar.trainer_id, calendar_id=busy_id(calendar)
    ).delete()
    calendar.sync_token = ""
    calendar.synced_until = None
    calendar.busy_count = 0
    calendar.save(update_fields=["sync_token", "synced_until", "busy_count"])
    slot_cache.bump(calendar.trainer_id)


def _window(connection: Connection, now: datetime) -> Window:
    return selectors.busy_window(
        trainer=connection.trainer_id, tz_name=connection.trainer.timezone, now=now
    )


def _sync_calendar(
    connection: Connection, calendar: RemoteCalendar, *, window: Window, now: datetime
) -> None:
    full = (
        not calendar.sync_token
        or calendar.synced_until is None
        or calendar.synced_until < window[1] - timedelta(days=1)
    )
    tz_name = connection.trainer.timezone
    reader = api(connection).read
    try:
        changes = reader(
            connection,
            calendar.remote_id,
            token="" if full else calendar.sync_token,
            window=window,
            tz_name=tz_name,
            now=now,
        )
    except SyncExpired:
        full = True
        changes = reader(
            connection, calendar.remote_id, token="", window=window, tz_name=tz_name, now=now
        )
    with transaction.atomic():
        ours = {e.remote_id: e for e in selectors.synced_events_in(calendar=calendar)}
        if full:
            calendar.events.all().delete()
            _missing_are_deleted(ours, changes.items, window, now)
        _apply(calendar, changes.items, ours, now, bulk=full)
        calendar.sync_token = changes.token
        if full:
            calendar.synced_until = window[1]
        calendar.busy_count = _rebuild_busy(calendar, window)
        calendar.save(update_fields=["sync_token", "synced_until", "busy_count"])


def _apply(
    calendar: RemoteCalendar,
    items: list[Item],
    ours: dict[str, SyncedEvent],
    now: datetime,
    *,
    bulk: bool,
) -> None:
    fresh: dict[str, RemoteEvent] = {}
    for item in items:
        if item.remote_id in ours:
            _notice(ours[item.remote_id], item, now)
            continue
        if item.booking_id is not None:
            continue  # ours, written before the link was saved (or by another connection)
        start, end = item.start, item.end
        if item.deleted or start is None or end is None or start >= end:
            if not bulk:
                calendar.events.filter(remote_id=item.remote_id).delete()
            continue
        if bulk:
            fresh[item.remote_id] = RemoteEvent(
                trainer_id=calendar.trainer_id,
                calendar=calendar,
                remote_id=item.remote_id,
                start=start,
                end=end,
                blocks=item.blocks,
            )
        else:
            RemoteEvent.objects.update_or_create(
                trainer_id=calendar.trainer_id,
                calendar=calendar,
                remote_id=item.remote_id,
                defaults={"start": start, "end": end, "blocks": item.blocks},
            )
    RemoteEvent.objects.bulk_create(fresh.values())


def _notice(event: SyncedEvent, item: Item, now: datetime) -> None:
    """Our event changed over there: remember how, for the trainer (never applied back)."""
    if item.deleted:
        change, start, end = SyncedEvent.Change.DELETED, None, None
    elif (item.start, item.end) != (event.start, event.end):
        change, start, end = SyncedEvent.Change.MOVED, item.start, item.end
    else:
        change, start, end = SyncedEvent.Change.NONE, None, None
    if (event.change, event.remote_start, event.remote_end) == (change, start, end):
        return
    event.change, event.remote_start, event.remote_end = change, start, end
    event.change_seen_at = now if change else None
    event.change_dismissed = False
    event.save(
        update_fields=["change", "remote_start", "remote_end", "change_seen_at", "change_dismissed"]
    )


def _missing_are_deleted(
    ours: dict[str, SyncedEvent], items: list[Item], window: Window, now: datetime
) -> None:
    """A full read lists only the events that exist: one of ours in the window that is not
    listed was deleted over there (beyond the window, Graph's bounded read cannot say)."""
    listed = {i.remote_id for i in items if not i.deleted}
    for remote_id, event in ours.items():
        if remote_id not in listed and event.end > window[0] and event.start < window[1]:
            _notice(event, Item(remote_id=remote_id, deleted=True), now)


def _rebuild_busy(calendar: RemoteCalendar, window: Window) -> int:
    rows = ExternalBusy.objects.filter(
        trainer_id=calendar.trainer_id, calendar_id=busy_id(calendar)
    )
    rows.delete()
    # Busy times are written in bulk (no signals): the slot answers cached so far are stale.
    slot_cache.bump(calendar.trainer_id)
    if not calendar.busy:
        return 0
    ranges = calendar.events.filter(blocks=True, end__gt=window[0], start__lt=window[1])
    created = ExternalBusy.objects.bulk_create(
        ExternalBusy(trainer_id=calendar.trainer_id, calendar_id=busy_id(calendar), start=s, end=e)
        for s, e in ranges.values_list("start", "end")
    )
    return len(created)


def _failed(connection: Connection, error: str) -> bool:
    connection.last_error = error[:300]
    connection.save(update_fields=["last_attempt_at", "last_error"])
    logger.warning(
        "calendar sync failed",
        extra={
            "connection_id": connection.pk,
            "trainer_id": connection.trainer_id,
            "error": connection.last_error,
        },
    )
    return False
