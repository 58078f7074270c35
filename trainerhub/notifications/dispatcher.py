"""The dispatcher: claim due outbox rows, send them, record every attempt, retry with backoff.

Exactly-once, as far as a network allows:
- A row is claimed by one worker only: `SELECT ... FOR UPDATE SKIP LOCKED` on PostgreSQL,
  a conditional `UPDATE ... WHERE status = 'pending'` on SQLite (whoever updates owns it).
- Before handing a message to its channel the worker commits an "in flight" attempt; after,
  it commits the outcome. A worker that dies in between leaves a claimed row with an
  in-flight attempt: we cannot know whether the message left, so it is never handed over
  again (status "unknown", shown in the log) rather than risking a duplicate. A row claimed
  but never handed over (died before sending) is released after the lease and sent once.
"""

from __future__ import annotations

import logging
import os
import socket
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from trainerhub.notifications import prefs
from trainerhub.notifications.channels import SendError, get_channel, is_on
from trainerhub.notifications.messages import Undeliverable, render
from trainerhub.notifications.models import Kind, Notification, NotificationAttempt

logger = logging.getLogger("trainerhub.notifications")

MAX_ATTEMPTS = getattr(settings, "NOTIFY_MAX_ATTEMPTS", 5)
BACKOFF_SECONDS = 60
LEASE = timedelta(minutes=5)
BATCH = 50
DEMO_NOT_SENT = "Not sent: demo account."

Status = Notification.Status


@dataclass
class DispatchStats:
    claimed: int = 0
    sent: int = 0
    retried: int = 0
    failed: int = 0
    skipped: int = 0
    recovered: int = 0
    ids: list[int] = field(default_factory=list)


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"[:64]


def backoff(attempts: int) -> timedelta:
    """1, 2, 4, 8... minutes after the 1st, 2nd, 3rd... failure, capped at 6 hours."""
    return timedelta(seconds=min(BACKOFF_SECONDS * 2 ** max(attempts - 1, 0), 6 * 3600))


def claim_due(*, now: datetime, limit: int = BATCH, worker: str = "") -> list[int]:
    due = Notification.objects.filter(status=Status.PENDING, due_at__lte=now).order_by(
        "due_at", "id"
    )
    claim = {"status": Status.SENDING, "claimed_at": now, "claimed_by": worker, "updated_at": now}
    if connection.vendor == "postgresql":
        with transaction.atomic():
            ids = list(due.select_for_update(skip_locked=True).values_list("id", flat=True)[:limit])
            Notification.objects.filter(id__in=ids).update(**claim)
        return ids
    claimed = []
    for pk in due.values_list("id", flat=True)[:limit]:
        if Notification.objects.filter(id=pk, status=Status.PENDING).update(**claim):
            claimed.append(pk)
    return claimed


def recover_stale(*, now: datetime) -> int:
    """Rows a dead worker left claimed: released if never handed over, else marked unknown."""
    stale = Notification.objects.filter(status=Status.SENDING, claimed_at__lt=now - LEASE)
    count = 0
    for row in stale:
        in_flight = row.attempt_rows.filter(outcome=NotificationAttempt.Outcome.IN_FLIGHT)
        if in_flight.exists():
            in_flight.update(
                outcome=NotificationAttempt.Outcome.ERROR,
                finished_at=now,
                error="The worker stopped while handing the message over.",
            )
            _finish(
                row,
                Status.UNKNOWN,
                "The worker stopped while sending; it may have been delivered, so it was not "
                "sent again to avoid a duplicate.",
            )
            logger.warning("notification delivery unknown", extra={"notification": row.pk})
        else:
            Notification.objects.filter(pk=row.pk, status=Status.SENDING).update(
                status=Status.PENDING, claimed_at=None, claimed_by="", updated_at=now
            )
        count += 1
    return count


def _finish(row: Notification, status: str, error: str = "", **fields) -> None:
    Notification.objects.filter(pk=row.pk).update(
        status=status, last_error=error[:2000], updated_at=timezone.now(), **fields
    )


def skip_reason(row: Notification, now: datetime) -> str:
    """Why a claimed row must not be sent now, or "" to send it."""
    booking = row.booking
    if row.trainer.is_demo:
        # Demo data is made up: its messages are logged, never handed to a channel.
        return DEMO_NOT_SENT
    if row.recipient == Notification.Recipient.CLIENT and row.client is None:
        return "The client no longer exists."
    if not is_on(row.channel):
        return f"The {row.get_channel_display()} channel is off (no credentials)."
    if row.kind != Kind.REMINDER:
        return ""
    if booking is None:
        return "The booking no longer exists."
    if booking.status != booking.Status.CONFIRMED:
        return f"The booking is {booking.get_status_display().lower()}."
    if booking.start != row.booking_start:
        return "The booking was moved; reminders follow the new time."
    if now >= booking.start:
        logger.info("late reminder dropped", extra={"notification": row.pk})
        return "Too late: the session had already started when the worker got to it."
    if row.client is not None and prefs.reminders_stopped(row.client):
        return "The client unsubscribed from reminders."
    if row.offset_minutes not in prefs.reminder_offsets(row.trainer):
        return "This reminder time is no longer in the trainer's settings."
    closer = Notification.objects.filter(
        booking=booking,
        kind=Kind.REMINDER,
        channel=row.channel,
        booking_start=booking.start,
        offset_minutes__lt=row.offset_minutes,
        due_at__lte=now,
    ).exclude(status=Status.SKIPPED)
    if closer.exists():
        return "A later reminder was also due; only that one was sent."
    return ""


def deliver(
    row: Notification,
    *,
    now: datetime,
    worker: str = "",
    after_send: Callable[[Notification], None] | None = None,
) -> str:
    """Send one claimed row; returns its new status."""
    reason = skip_reason(row, now)
    if reason:
        _finish(row, Status.SKIPPED, reason)
        return Status.SKIPPED
    try:
        out = render(row)
    except Undeliverable as exc:
        _finish(row, Status.SKIPPED, str(exc))
        return Status.SKIPPED
    attempts = row.attempts + 1
    Notification.objects.filter(pk=row.pk).update(
        attempts=attempts, to_address=out.to[:254], subject=out.subject[:255]
    )
    attempt = NotificationAttempt.objects.create(
        notification=row, worker=worker, started_at=timezone.now()
    )
    try:
        provider_id = get_channel(row.channel).send(out)
    except SendError as exc:
        return _failed(row, attempt, attempts, exc)
    except Exception as exc:  # a bug in one message must not stop the others
        logger.exception("notification send crashed", extra={"notification": row.pk})
        return _failed(row, attempt, attempts, SendError(f"Unexpected error: {exc!r}"))
    if after_send is not None:
        after_send(row)
    with transaction.atomic():
        attempt.outcome, attempt.finished_at = NotificationAttempt.Outcome.OK, timezone.now()
        attempt.provider_id = (provider_id or "")[:200]
        attempt.save(update_fields=["outcome", "finished_at", "provider_id"])
        _finish(row, Status.SENT, sent_at=timezone.now())
    return Status.SENT


def _failed(row: Notification, attempt: NotificationAttempt, attempts: int, exc: SendError) -> str:
    attempt.outcome, attempt.finished_at = NotificationAttempt.Outcome.ERROR, timezone.now()
    attempt.error = exc.message[:2000]
    attempt.save(update_fields=["outcome", "finished_at", "error"])
    if exc.permanent or attempts >= MAX_ATTEMPTS:
        _finish(row, Status.FAILED, exc.message)
        logger.warning("notification failed", extra={"notification": row.pk, "error": exc.message})
        return Status.FAILED
    _finish(
        row,
        Status.PENDING,
        exc.message,
        due_at=timezone.now() + backoff(attempts),
        claimed_at=None,
        claimed_by="",
    )
    return Status.PENDING


def dispatch_due(
    *,
    now: datetime | None = None,
    limit: int = BATCH,
    after_send: Callable[[Notification], None] | None = None,
) -> DispatchStats:
    now = now or timezone.now()
    worker = worker_name()
    stats = DispatchStats(recovered=recover_stale(now=now))
    ids = claim_due(now=now, limit=limit, worker=worker)
    stats.claimed, stats.ids = len(ids), ids
    rows = Notification.objects.filter(id__in=ids).select_related(
        "trainer", "client", "client__account", "booking", "booking__service", "booking__client"
    )
    for row in sorted(rows, key=lambda r: (r.due_at, r.pk)):
        status = deliver(row, now=now, worker=worker, after_send=after_send)
        if status == Status.SENT:
            stats.sent += 1
        elif status == Status.PENDING:
            stats.retried += 1
        elif status == Status.FAILED:
            stats.failed += 1
        else:
            stats.skipped += 1
    return stats
