"""A trainer's own calendars: ICS subscriptions (the secret iCal address of Google, Apple
iCloud, Outlook) and CalDAV calendars (Nextcloud, Fastmail, iCloud: URL, user, app password).

The busy ranges they yield live in `scheduling.ExternalBusy`, where the slot loader reads
them; this app fetches, parses and writes them.
"""

from __future__ import annotations

from django.db import models

from trainerhub.core.crypto import EncryptedTextField
from trainerhub.core.tenancy import TrainerOwned
from trainerhub.scheduling.models import color_validator


class CalendarSubscription(TrainerOwned):
    class Kind(models.TextChoices):
        ICS = "ics", "Subscription address (iCal)"
        CALDAV = "caldav", "CalDAV calendar"

    name = models.CharField(max_length=120)
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.ICS)
    # The secret address: whoever has it reads the calendar. Encrypted at rest (core/crypto.py),
    # never logged, shown masked. For CalDAV, the calendar collection's address.
    url = EncryptedTextField(max_length=2000)
    # CalDAV only: the account's user name and an app password (encrypted like the address,
    # never logged, never answered: pages and the API show it masked).
    username = models.CharField(max_length=200, blank=True)
    password = EncryptedTextField(max_length=500, blank=True)
    color = models.CharField(max_length=7, blank=True, validators=[color_validator])
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # Conditional GET: the validators of the last good answer (for CalDAV, `etag` holds a
    # hash of the calendars' sync tokens: unchanged, the REPORT is skipped).
    etag = models.CharField(max_length=500, blank=True)
    last_modified = models.CharField(max_length=100, blank=True)
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    last_success_at = models.DateTimeField(null=True, blank=True)
    # Empty after a good fetch; else what went wrong, in words for the trainer.
    last_error = models.CharField(max_length=300, blank=True)
    busy_count = models.PositiveIntegerField(default=0)
    # How far ahead the stored ranges were expanded: a 304 answer keeps them, but once the
    # horizon has moved on a day the calendar is fetched again in full to expand further.
    expanded_until = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name


# --- Two-way sync with Google Calendar and Microsoft 365 (oauth.py, sync.py, push.py) -----


class Provider(models.TextChoices):
    GOOGLE = "google", "Google Calendar"
    MICROSOFT = "microsoft", "Microsoft 365 / Outlook"


class Connection(TrainerOwned):
    """A trainer's Google or Microsoft account, connected with OAuth (one of each at most)."""

    class Status(models.TextChoices):
        ACTIVE = "active", "Connected"
        # The provider refused our tokens (revoked, password changed): nothing is read or
        # written until the trainer connects again; their pending writes wait.
        RECONNECT = "reconnect", "Reconnect needed"

    provider = models.CharField(max_length=10, choices=Provider.choices)
    account = models.CharField(max_length=320, blank=True)  # the account's address, shown
    # Encrypted at rest (core/crypto.py), never logged.
    access_token = EncryptedTextField()
    refresh_token = EncryptedTextField(blank=True)
    expires_at = models.DateTimeField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ACTIVE)
    # The calendar bookings are written to (a RemoteCalendar.remote_id); empty: none.
    write_calendar = models.CharField(max_length=500, blank=True)
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    last_success_at = models.DateTimeField(null=True, blank=True)
    # Empty after a good sync; else what went wrong, in words for the trainer.
    last_error = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["provider", "id"]
        constraints = [
            models.UniqueConstraint(fields=["trainer", "provider"], name="calendar_connection_one")
        ]

    def __str__(self) -> str:
        return f"{self.get_provider_display()} {self.account}"


# ExternalBusy.calendar_id names an ICS subscription by its id; a connected calendar's ranges
# use its id plus this offset, so the two id spaces never meet (an ICS subscription would need
# a trillion rows first).
BUSY_ID_OFFSET = 1 << 40


class RemoteCalendar(TrainerOwned):
    """One calendar of a connected account; `busy` ones block bookings."""

    connection = models.ForeignKey(Connection, on_delete=models.CASCADE, related_name="calendars")
    remote_id = models.CharField(max_length=500)
    name = models.CharField(max_length=200)
    busy = models.BooleanField(default=False)
    can_write = models.BooleanField(default=False)
    # Google's nextSyncToken or Graph's deltaLink: the next read asks only for changes.
    sync_token = models.TextField(blank=True)
    # The end of the window the token covers (Graph's delta is bounded; Google's is not, but
    # the same horizon rule applies): once the horizon has moved on a day, read it all again.
    synced_until = models.DateTimeField(null=True, blank=True)
    busy_count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-busy", "name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["connection", "remote_id"], name="remote_calendar_unique"
            )
        ]

    def __str__(self) -> str:
        return self.name


class RemoteEvent(TrainerOwned):
    """What an incremental sync knows of one event: only its times and whether it blocks,
    never its title. The calendar's busy ranges are rebuilt from these rows."""

    calendar = models.ForeignKey(RemoteCalendar, on_delete=models.CASCADE, related_name="events")
    remote_id = models.CharField(max_length=1024)
    start = models.DateTimeField()
    end = models.DateTimeField()
    blocks = models.BooleanField(default=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["calendar", "remote_id"], name="remote_event_unique")
        ]

    def __str__(self) -> str:
        return self.remote_id


class SyncedEvent(TrainerOwned):
    """A booking written as an event into a connected calendar: where, and at which times,
    so a change made there (moved, deleted) is noticed and reported, never applied back."""

    class Change(models.TextChoices):
        NONE = "", "Unchanged"
        MOVED = "moved", "Moved in the calendar"
        DELETED = "deleted", "Deleted in the calendar"

    connection = models.ForeignKey(Connection, on_delete=models.CASCADE, related_name="events")
    booking_id = models.PositiveBigIntegerField(db_index=True)
    calendar_remote_id = models.CharField(max_length=500)
    remote_id = models.CharField(max_length=1024)
    start = models.DateTimeField()
    end = models.DateTimeField()
    change = models.CharField(max_length=10, choices=Change.choices, blank=True)
    # Where the calendar says the event is now (a moved one).
    remote_start = models.DateTimeField(null=True, blank=True)
    remote_end = models.DateTimeField(null=True, blank=True)
    change_seen_at = models.DateTimeField(null=True, blank=True)
    change_dismissed = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["connection", "booking_id"], name="synced_event_one")
        ]

    def __str__(self) -> str:
        return f"booking {self.booking_id} → {self.remote_id}"


class CalendarPush(TrainerOwned):
    """The outbox of calendar writes: a booking created, moved or cancelled, written in the
    booking's transaction with the facts of that moment; the worker sends it (push.py)."""

    class Op(models.TextChoices):
        UPSERT = "upsert", "Create or move the event"
        DELETE = "delete", "Delete the event"

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting"
        DONE = "done", "Written"
        FAILED = "failed", "Gave up"

    connection = models.ForeignKey(Connection, on_delete=models.CASCADE, related_name="pushes")
    booking_id = models.PositiveBigIntegerField()
    # The client the event is about: the privacy erase scrubs the title.
    client_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    op = models.CharField(max_length=10, choices=Op.choices)
    summary = models.CharField(max_length=300, blank=True)
    start = models.DateTimeField(null=True, blank=True)
    end = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    # One entry per attempt: {"at": iso, "status_code": int | None, "error": str}.
    log = models.JSONField(default=list)
    next_attempt_at = models.DateTimeField()
    claimed_until = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="calendar_push_due")]

    def __str__(self) -> str:
        return f"{self.op} booking {self.booking_id} ({self.status})"
