"""The transactional outbox: domain events become message rows in the same transaction.

The handlers run inside the booking service's transaction (see core/events.py), so a row
exists if and only if the booking change committed. Rows are keyed so that no message can
exist twice (see Notification's constraints); writing an existing key is a no-op.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from trainerhub.core.events import Handler
from trainerhub.notifications import facts, prefs
from trainerhub.notifications.facts import FACTS_KEY
from trainerhub.notifications.models import Channel, Kind, Notification, NotificationSettings

logger = logging.getLogger("trainerhub.notifications")


def _write(
    *,
    booking,
    kind: str,
    channel: str,
    recipient: str,
    due_at: datetime,
    offset_minutes: int = 0,
    context: dict[str, Any] | None = None,
) -> tuple[Notification, bool]:
    return Notification.objects.get_or_create(
        booking=booking,
        kind=kind,
        channel=channel,
        offset_minutes=offset_minutes,
        booking_start=booking.start,
        booking_sequence=booking.sequence,
        defaults={
            "trainer_id": booking.trainer_id,
            "client_id": booking.client_id,
            "recipient": recipient,
            "due_at": due_at,
            "context": context or {},
        },
    )


def _row(
    booking,
    kind: str,
    channel: str,
    recipient: str,
    due_at: datetime,
    *,
    offset_minutes: int = 0,
    context: dict[str, Any] | None = None,
) -> Notification:
    """An unsaved outbox row under the booking's key (see Notification's constraints)."""
    return Notification(
        trainer_id=booking.trainer_id,
        client_id=booking.client_id,
        booking=booking,
        kind=kind,
        channel=channel,
        offset_minutes=offset_minutes,
        booking_start=booking.start,
        booking_sequence=booking.sequence,
        recipient=recipient,
        due_at=due_at,
        context=context or {},
    )


def _insert(rows: list[Notification]) -> None:
    """Write the rows in one statement; a row whose key exists already is a no-op (the
    unique constraints decide, so a repeated event writes nothing twice)."""
    if rows:
        Notification.objects.bulk_create(rows, ignore_conflicts=True)


class Audience:
    """What one booking change's messages need to know about who hears of it: the trainer's
    choices, the client's links and reminder settings, each read once (a booking used to
    read them again for every message and every reminder)."""

    def __init__(self, booking) -> None:
        self.booking = booking
        self.enabled = prefs.enabled_by(booking.trainer_id)
        self._links: Any = None
        self._links_read = False
        self._offsets: list[int] | None = None

    def client_channels(self, kind: str) -> list[str]:
        if not self._links_read:
            self._links, self._links_read = prefs.client_links(self.booking.client), True
        booking = self.booking
        return prefs.client_channels(
            booking.trainer, booking.client, kind, enabled=self.enabled, links=self._links
        )

    def trainer_channels(self, kind: str) -> list[str]:
        return prefs.trainer_channels(self.booking.trainer, kind, enabled=self.enabled)

    def reminder_offsets(self) -> list[int]:
        if self._offsets is None:
            # Read, never created here: a trainer's first bookings on different days would
            # otherwise wait for each other on the new settings row's unique key.
            trainer_id = self.booking.trainer_id
            saved = NotificationSettings.objects.filter(trainer_id=trainer_id).first()
            settings = saved or NotificationSettings(trainer_id=trainer_id)
            self._offsets = prefs.reminder_offsets(trainer_id, settings)
        return self._offsets


def _with_facts(booking, context: dict[str, Any] | None) -> dict[str, Any]:
    """The event's details plus the booking's facts as this change left them: the worker
    may send the row after later changes, and the message must tell this one."""
    return {**(context or {}), FACTS_KEY: facts.freeze(booking)}


def to_client(
    booking, kind: str, context: dict[str, Any] | None = None, *, audience: Audience | None = None
) -> None:
    _insert(_client_rows(booking, kind, context, audience or Audience(booking)))
    _kick_celery()


def _client_rows(
    booking, kind: str, context: dict[str, Any] | None, audience: Audience
) -> list[Notification]:
    now = timezone.now()
    context = _with_facts(booking, context)
    return [
        _row(booking, kind, channel, Notification.Recipient.CLIENT, now, context=context)
        for channel in audience.client_channels(kind)
    ]


def to_trainer(
    booking, kind: str, context: dict[str, Any] | None = None, *, audience: Audience | None = None
) -> None:
    from trainerhub.notifications.messages import in_app_text

    now = timezone.now()
    context = _with_facts(booking, context)
    audience = audience or Audience(booking)
    for channel in audience.trainer_channels(kind):
        row, created = _write(
            booking=booking,
            kind=kind,
            channel=channel,
            recipient=Notification.Recipient.TRAINER,
            due_at=now,
            context=context,
        )
        if channel == Channel.INAPP and created:
            # In-app is a row in our own database: delivered right here, in the transaction.
            from trainerhub.notifications.services import notify_trainer_in_app

            title, body, url = in_app_text(row)
            notify_trainer_in_app(trainer=booking.trainer, title=title, body=body, url=url)
            row.status, row.sent_at, row.attempts, row.subject = (
                Notification.Status.SENT,
                now,
                1,
                title[:255],
            )
            row.save(update_fields=["status", "sent_at", "attempts", "subject", "updated_at"])
    _kick_celery()


def ensure_reminders(
    booking,
    *,
    not_before: datetime,
    revive: bool = True,
    audience: Audience | None = None,
) -> int:
    """Reminder rows for a confirmed booking's current start, one per offset and channel.

    Reminders whose time has already passed at `not_before` are not written (a booking made
    an hour ahead gets no "24 hours to go" message). Returns how many rows were written.

    Unlike the change messages, reminders freeze no facts: a reminder is about the session
    as it is when it goes out (the dispatcher drops it if the booking moved or ended), so
    a later change of place, service name or video link must show in it.
    """
    if booking.status != booking.Status.CONFIRMED:
        return 0
    audience = audience or Audience(booking)
    wanted = _reminders_wanted(booking, not_before, audience)
    if not wanted:
        return 0
    existing = Notification.objects.filter(
        booking=booking,
        kind=Kind.REMINDER,
        booking_start=booking.start,
        booking_sequence=booking.sequence,
    ).values_list("offset_minutes", "channel", "status", "pk")
    skipped = []
    for offset, channel, status, pk in existing:
        if (offset, channel) in wanted and status == Notification.Status.SKIPPED:
            # Moved away and back again (A -> B -> A): the old row is this reminder.
            skipped.append((pk, wanted[(offset, channel)]))
        wanted.pop((offset, channel), None)
    for pk, due_at in skipped if revive else ():
        Notification.objects.filter(pk=pk).update(
            status=Notification.Status.PENDING,
            due_at=due_at,
            last_error="",
            updated_at=timezone.now(),
        )
    rows = _reminder_rows(booking, wanted)
    _insert(rows)
    return len(rows)


def _reminders_wanted(
    booking, not_before: datetime, audience: Audience
) -> dict[tuple[int, str], datetime]:
    """(offset, channel) -> due time of each reminder still ahead at `not_before`."""
    return {
        (offset, channel): booking.start - timedelta(minutes=offset)
        for offset in audience.reminder_offsets()
        if booking.start - timedelta(minutes=offset) >= not_before
        for channel in audience.client_channels(Kind.REMINDER)
    }


def _reminder_rows(booking, wanted: dict[tuple[int, str], datetime]) -> list[Notification]:
    return [
        _row(
            booking,
            Kind.REMINDER,
            channel,
            Notification.Recipient.CLIENT,
            due_at,
            offset_minutes=offset,
        )
        for (offset, channel), due_at in wanted.items()
    ]


def cancel_pending_reminders(booking, reason: str) -> int:
    return Notification.objects.filter(
        booking=booking, kind=Kind.REMINDER, status=Notification.Status.PENDING
    ).update(status=Notification.Status.SKIPPED, last_error=reason, updated_at=timezone.now())


def _iso(value: datetime | None) -> str:
    return value.isoformat() if value else ""


# --- Event handlers ----------------------------------------------------------------------


def on_booking_created(*, event: str, booking, actor: str = "trainer", **_: Any) -> None:
    if booking.status not in (booking.Status.PENDING, booking.Status.CONFIRMED):
        return
    audience = Audience(booking)  # read once for every message of this booking
    if booking.status == booking.Status.PENDING:
        to_client(booking, Kind.REQUEST_RECEIVED, audience=audience)
        to_trainer(booking, Kind.TRAINER_PENDING_REQUEST, {"actor": actor}, audience=audience)
        return
    rows = []
    if booking.series_id is None:
        # An occurrence of a series is told in the series' one summary (on_series_created).
        rows = _client_rows(booking, Kind.BOOKING_CONFIRMED, {"actor": actor}, audience)
    # The confirmation and the reminders in one statement (a new booking has none yet).
    rows += _reminder_rows(booking, _reminders_wanted(booking, timezone.now(), audience))
    _insert(rows)
    _kick_celery()
    if actor == "client":
        to_trainer(booking, Kind.TRAINER_NEW_BOOKING, {"actor": actor}, audience=audience)


def on_booking_confirmed(*, event: str, booking, actor: str = "trainer", **_: Any) -> None:
    to_client(booking, Kind.BOOKING_CONFIRMED, {"actor": actor})
    ensure_reminders(booking, not_before=timezone.now())


def on_booking_declined(
    *, event: str, booking, actor: str = "trainer", message: str = "", **_: Any
) -> None:
    to_client(booking, Kind.REQUEST_DECLINED, {"actor": actor, "message": message})


def on_booking_cancelled(
    *,
    event: str,
    booking,
    actor: str = "trainer",
    reason: str = "",
    late: bool = False,
    in_summary: bool = False,
    **_: Any,
) -> None:
    cancel_pending_reminders(booking, "The booking was cancelled.")
    context = {"actor": actor, "reason": reason, "late": bool(late)}
    if not in_summary:  # else told once for several (on_series_cancelled)
        to_client(booking, Kind.BOOKING_CANCELLED, context)
    if actor == "client":
        to_trainer(booking, Kind.TRAINER_CLIENT_CANCELLED, context)


def on_booking_rescheduled(
    *, event: str, booking, actor: str = "trainer", old_start=None, old_end=None, **_: Any
) -> None:
    cancel_pending_reminders(booking, "The booking was moved; reminders follow the new time.")
    context = {"actor": actor, "old_start": _iso(old_start), "old_end": _iso(old_end)}
    audience = Audience(booking)
    to_client(booking, Kind.BOOKING_RESCHEDULED, context, audience=audience)
    ensure_reminders(booking, not_before=timezone.now(), audience=audience)
    if actor == "client":
        to_trainer(booking, Kind.TRAINER_CLIENT_RESCHEDULED, context, audience=audience)


def on_series_created(
    *, event: str, series, bookings, refused=(), actor: str = "trainer", **_: Any
) -> None:
    """One message for the whole series (its dates, and those it skipped and why), instead of
    a confirmation per date; it sits on the first booking, with that booking's facts."""
    confirmed = [b for b in bookings if b.status == b.Status.CONFIRMED]
    if not confirmed:
        return
    context = facts.series_booked(series, confirmed, refused, actor)
    to_client(confirmed[0], Kind.SERIES_BOOKED, context)


def on_series_cancelled(
    *, event: str, series, bookings, actor: str = "trainer", reason: str = "", **_: Any
) -> None:
    """One message for "cancel this and following", listing every date it cancelled."""
    if not bookings:
        return
    context = facts.series_cancelled(bookings, actor, reason)
    to_client(bookings[0], Kind.SERIES_CANCELLED, context)


def on_trainer_registered(*, event: str, user: Any, **_: Any) -> None:
    from trainerhub.notifications.services import send_welcome_email

    send_welcome_email(user)


def on_meeting_ready(*, event: str, booking, **_: Any) -> None:
    """A meeting made after its booking (Zoom, by the worker): the client gets the link,
    unless the message that tells them the booking has not gone yet (it reads the link when
    it goes, see facts.meeting_link)."""
    if booking.status not in (booking.Status.PENDING, booking.Status.CONFIRMED):
        return
    # A series' summary sits on its first booking and shows that booking's link only.
    telling = (Kind.BOOKING_CONFIRMED, Kind.BOOKING_RESCHEDULED, Kind.SERIES_BOOKED)
    waiting = Notification.objects.filter(
        booking=booking,
        recipient=Notification.Recipient.CLIENT,
        kind__in=telling,
        status=Notification.Status.PENDING,
    )
    if not waiting.exists():
        to_client(booking, Kind.MEETING_LINK)


HANDLERS: dict[str, Handler] = {
    "trainer.registered": on_trainer_registered,
    "booking.created": on_booking_created,
    "booking.confirmed": on_booking_confirmed,
    "booking.declined": on_booking_declined,
    "booking.cancelled": on_booking_cancelled,
    "booking.rescheduled": on_booking_rescheduled,
    "booking.meeting_ready": on_meeting_ready,
    "series.created": on_series_created,
    "series.cancelled": on_series_cancelled,
}


def to_client_email(
    *,
    trainer: Any,
    client: Any,
    kind: str,
    dedupe: str,
    context: dict[str, Any] | None = None,
    due_at: datetime | None = None,
) -> tuple[Notification, bool]:
    """One email to a client that is about no booking, once per (trainer, kind, dedupe): a
    second write of the same key is a no-op and answers the existing row."""
    row, created = Notification.objects.get_or_create(
        trainer_id=trainer.pk,
        kind=kind,
        channel=Channel.EMAIL,
        dedupe=dedupe[:64],
        booking=None,
        defaults={
            "client": client,
            "recipient": Notification.Recipient.CLIENT,
            "due_at": due_at or timezone.now(),
            "context": context or {},
        },
    )
    if created:
        if kind == Kind.CONTRACT_REQUEST:
            # The request also waits in the client's in-app centre (their portal).
            from trainerhub.notifications.client_centre import for_client

            for_client(client, kind, dedupe, context or {})
        _kick_celery()
    return row, created


def _kick_celery() -> None:
    """With Celery, dispatch right after commit instead of waiting for the next beat."""
    if settings.TASK_BACKEND != "celery":
        return

    def kick() -> None:
        try:
            from config.celery import app

            # By the task's registered name (tasks.py), as beat sends it: importing the tasks
            # module here would close the cycle outbox -> tasks -> sweep -> outbox.
            app.send_task("notifications.dispatch_due")
        except Exception:  # the beat schedule catches up; a broker hiccup must not 500
            logger.warning("could not enqueue dispatch", exc_info=True)

    transaction.on_commit(kick)
