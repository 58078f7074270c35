"""The dispatcher: claim due outbox rows, send them, record every attempt, retry with backoff.

Exactly-once, as far as a network allows:
- A row is claimed by one worker only: `SELECT ... FOR UPDATE SKIP LOCKED` on PostgreSQL,
  a conditional `UPDATE ... WHERE status = 'pending'` on SQLite (whoever updates owns it).
- A claim is fenced: it writes a fresh token and a lease deadline (NOTIFY_LEASE_SECONDS).
  Every later write of that worker is a conditional UPDATE naming its token, so a worker that
  stalled past its lease while another recovered the row can neither send it nor record it.
- Just before handing a message to its channel the worker re-asserts its claim (still its
  token, lease not lapsed) in one UPDATE that also extends the lease, and commits an
  "in flight" attempt in the same transaction; while the channel works, a thread keeps
  pushing the lease forward. After the send it records the outcome, again under its token.
- A worker that dies between hand-over and outcome leaves an in-flight attempt: we cannot
  know whether the message left, so it is never handed over again (status "unknown", shown
  in the log) rather than risking a duplicate: at-most-once in that window. A row claimed
  but never handed over (died before sending) is released after the lease and sent once.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.db import DatabaseError, connection, connections, transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone

from trainerhub.notifications import prefs
from trainerhub.notifications.channels import SendError, is_on
from trainerhub.notifications.channels import send as channel_send
from trainerhub.notifications.channels.base import Outgoing
from trainerhub.notifications.messages import Undeliverable, render
from trainerhub.notifications.models import Channel, Kind, Notification, NotificationAttempt
from trainerhub.plans import services as plans

logger = logging.getLogger("trainerhub.notifications")

MAX_ATTEMPTS = getattr(settings, "NOTIFY_MAX_ATTEMPTS", 5)
BACKOFF_SECONDS = 60
BATCH = 50
DEMO_NOT_SENT = "Not sent: demo account."

Status = Notification.Status
# What deliver() answers when its claim lapsed and the row became another worker's.
LOST = "lost"


@dataclass
class DispatchStats:
    claimed: int = 0
    sent: int = 0
    retried: int = 0
    failed: int = 0
    skipped: int = 0
    recovered: int = 0
    lost: int = 0
    ids: list[int] = field(default_factory=list)


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"[:64]


def backoff(attempts: int) -> timedelta:
    """1, 2, 4, 8... minutes after the 1st, 2nd, 3rd... failure, capped at 6 hours."""
    return timedelta(seconds=min(BACKOFF_SECONDS * 2 ** max(attempts - 1, 0), 6 * 3600))


def lease() -> timedelta:
    """How long a claim lasts without news from its worker."""
    return timedelta(seconds=max(int(getattr(settings, "NOTIFY_LEASE_SECONDS", 300)), 1))


def new_token() -> str:
    return uuid.uuid4().hex


def _mine(pk: int, token: str) -> QuerySet[Notification]:
    """The row, only while it is still claimed under `token`: the fence of every write."""
    return Notification.objects.filter(pk=pk, claim_token=token)


def claim_due(
    *, now: datetime, limit: int = BATCH, worker: str = "", token: str | None = None
) -> list[int]:
    due = Notification.objects.filter(status=Status.PENDING, due_at__lte=now).order_by(
        "due_at", "id"
    )
    claim = {
        "status": Status.SENDING,
        "claimed_at": now,
        "claimed_by": worker,
        "claim_token": token or new_token(),
        "lease_until": now + lease(),
        "updated_at": now,
    }
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
    """Rows whose claim lapsed: released if never handed over, else marked unknown.

    Each change is one conditional UPDATE on the lapsed claim (its token, its lease still
    lapsed), so a worker that re-asserted its claim meanwhile keeps the row."""
    lapsed = Notification.objects.filter(status=Status.SENDING, lease_until__lt=now)
    count = 0
    for pk, token in lapsed.values_list("pk", "claim_token"):
        if _release(pk, token, now) or _give_up(pk, token, now):
            count += 1
    return count


def _lapsed_claim(pk: int, token: str, now: datetime) -> QuerySet[Notification]:
    return _mine(pk, token).filter(status=Status.SENDING, lease_until__lt=now)


def _in_flight() -> QuerySet[NotificationAttempt]:
    return NotificationAttempt.objects.filter(outcome=NotificationAttempt.Outcome.IN_FLIGHT)


def _release(pk: int, token: str, now: datetime) -> bool:
    """Back to pending, in the same UPDATE that checks nothing was handed over."""
    never_handed_over = ~Exists(_in_flight().filter(notification=OuterRef("pk")))
    return bool(
        _lapsed_claim(pk, token, now)
        .filter(never_handed_over)
        .update(
            status=Status.PENDING,
            claimed_at=None,
            claimed_by="",
            claim_token="",
            lease_until=None,
            updated_at=now,
        )
    )


def _give_up(pk: int, token: str, now: datetime) -> bool:
    """Handed over, then silence: it may have left, so it is never handed over again. The
    token stays, so the worker, if it was only slow, can still record what happened."""
    gave_up = _lapsed_claim(pk, token, now).update(
        status=Status.UNKNOWN,
        last_error="The worker stopped while sending; it may have been delivered, so it was "
        "not sent again to avoid a duplicate.",
        updated_at=now,
    )
    if not gave_up:
        return False
    _in_flight().filter(notification_id=pk).update(
        outcome=NotificationAttempt.Outcome.ERROR,
        finished_at=now,
        error="The worker stopped while handing the message over.",
    )
    logger.warning("notification delivery unknown", extra={"notification": pk})
    return True


def _finish(
    row: Notification,
    token: str,
    status: str,
    error: str = "",
    *,
    held: tuple[str, ...] = (Status.SENDING,),
    **fields,
) -> str:
    """Record an outcome, only while the row is still this claim's (in one of `held`)."""
    recorded = (
        _mine(row.pk, token)
        .filter(status__in=held)
        .update(status=status, last_error=error[:2000], updated_at=timezone.now(), **fields)
    )
    if recorded:
        return status
    logger.warning("notification claim lost", extra={"notification": row.pk})
    return LOST


def skip_reason(row: Notification, now: datetime) -> str:
    """Why a claimed row must not be sent now, or "" to send it."""
    booking = row.booking
    if row.trainer.is_demo:
        # Demo data is made up: its messages are logged, never handed to a channel.
        return DEMO_NOT_SENT
    if row.recipient == Notification.Recipient.CLIENT and row.client is None:
        return "The client no longer exists."
    if not is_on(row.channel, row.trainer_id):
        return f"The {row.get_channel_display()} channel is off (no credentials)."
    if row.channel == Channel.SMS and (refusal := plans.sms_refusal(row.trainer)):
        return refusal
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
    token: str,
    worker: str = "",
    after_send: Callable[[Notification], None] | None = None,
) -> str:
    """Send one row claimed under `token`; returns its new status, or LOST when the claim
    lapsed and the row is no longer this worker's to send."""
    reason = skip_reason(row, now)
    if reason:
        return _finish(row, token, Status.SKIPPED, reason)
    try:
        out = render(row)
    except Undeliverable as exc:
        return _finish(row, token, Status.SKIPPED, str(exc))
    attempt = _hand_over(row, token=token, worker=worker, out=out)
    if attempt is None:
        logger.warning("notification claim lapsed before sending", extra={"notification": row.pk})
        return LOST
    try:
        with LeaseKeeper(row.pk, token):
            provider_id = channel_send(row.channel, out, trainer_id=row.trainer_id)
    except SendError as exc:
        return _failed(row, token, attempt, exc)
    except Exception as exc:  # a bug in one message must not stop the others
        logger.exception("notification send crashed", extra={"notification": row.pk})
        return _failed(row, token, attempt, SendError(f"Unexpected error: {exc!r}"))
    if after_send is not None:
        after_send(row)
    return _sent(row, token, attempt, provider_id or "")


def _hand_over(
    row: Notification, *, token: str, worker: str, out: Outgoing
) -> NotificationAttempt | None:
    """Re-assert the claim right before the channel gets the message: one conditional UPDATE
    (still this token, lease not lapsed) that also extends the lease, and the in-flight
    attempt in the same transaction. From then on recovery may give the row up as unknown,
    but never release it to be sent again."""
    now = timezone.now()
    with transaction.atomic():
        held = (
            _mine(row.pk, token)
            .filter(status=Status.SENDING, lease_until__gt=now)
            .update(
                lease_until=now + lease(),
                attempts=row.attempts + 1,
                to_address=out.to[:254],
                subject=out.subject[:255],
                updated_at=now,
            )
        )
        if not held:
            return None
        row.attempts += 1
        return NotificationAttempt.objects.create(notification=row, worker=worker, started_at=now)


class LeaseKeeper:
    """While a send is in progress, pushes the claim's lease forward every third of it, so a
    slow but live send (a mail server taking its time) is not taken for a dead worker. A
    worker that stalls as a whole (paused process, host asleep) stops renewing too, and then
    the fence decides. The thread has its own database connection, closed when it ends."""

    def __init__(self, pk: int, token: str) -> None:
        self.pk, self.token = pk, token
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._run, name=f"lease-{pk}", daemon=True)

    def __enter__(self) -> LeaseKeeper:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        self.thread.join()

    def _run(self) -> None:
        every = lease().total_seconds() / 3
        try:
            while not self.stop.wait(every):
                self._renew()
        finally:
            connections.close_all()

    def _renew(self) -> None:
        try:
            renewed = (
                _mine(self.pk, self.token)
                .filter(status=Status.SENDING)
                .update(lease_until=timezone.now() + lease())
            )
        except DatabaseError:  # the send goes on; the next renewal may succeed
            logger.warning("lease renewal failed", extra={"notification": self.pk}, exc_info=True)
            return
        if not renewed:
            logger.warning("lease lost during a send", extra={"notification": self.pk})


def _sent(row: Notification, token: str, attempt: NotificationAttempt, provider_id: str) -> str:
    """Record the delivery under this claim's token. A row that recovery gave up as unknown
    while this send was only slow is still ours (same token): it is marked sent, the truth."""
    with transaction.atomic():
        attempt.outcome, attempt.finished_at = NotificationAttempt.Outcome.OK, timezone.now()
        attempt.provider_id, attempt.error = provider_id[:200], ""
        attempt.save(update_fields=["outcome", "finished_at", "provider_id", "error"])
        status = _finish(
            row,
            token,
            Status.SENT,
            held=(Status.SENDING, Status.UNKNOWN),
            sent_at=timezone.now(),
            lease_until=None,
        )
    return Status.SENT if status == Status.SENT else LOST


def _failed(row: Notification, token: str, attempt: NotificationAttempt, exc: SendError) -> str:
    attempt.outcome, attempt.finished_at = NotificationAttempt.Outcome.ERROR, timezone.now()
    attempt.error = exc.message[:2000]
    attempt.save(update_fields=["outcome", "finished_at", "error"])
    held = (Status.SENDING, Status.UNKNOWN)
    if exc.permanent or row.attempts >= MAX_ATTEMPTS:
        logger.warning("notification failed", extra={"notification": row.pk, "error": exc.message})
        return _finish(row, token, Status.FAILED, exc.message, held=held, lease_until=None)
    return _finish(
        row,
        token,
        Status.PENDING,
        exc.message,
        held=held,
        due_at=timezone.now() + backoff(row.attempts),
        claimed_at=None,
        claimed_by="",
        claim_token="",
        lease_until=None,
    )


def dispatch_due(
    *,
    now: datetime | None = None,
    limit: int = BATCH,
    after_send: Callable[[Notification], None] | None = None,
) -> DispatchStats:
    now = now or timezone.now()
    worker, token = worker_name(), new_token()
    stats = DispatchStats(recovered=recover_stale(now=now))
    ids = claim_due(now=now, limit=limit, worker=worker, token=token)
    stats.claimed, stats.ids = len(ids), ids
    rows = Notification.objects.filter(id__in=ids, claim_token=token).select_related(
        "trainer", "client", "client__account", "booking", "booking__service", "booking__client"
    )
    for row in sorted(rows, key=lambda r: (r.due_at, r.pk)):
        status = deliver(row, now=now, token=token, worker=worker, after_send=after_send)
        if status == Status.SENT:
            stats.sent += 1
        elif status == LOST:
            stats.lost += 1
        elif status == Status.PENDING:
            stats.retried += 1
        elif status == Status.FAILED:
            stats.failed += 1
        else:
            stats.skipped += 1
    return stats
