"""Notifications: the outbox of messages, their delivery attempts, the trainer's in-app
centre, preferences, client channel links and calendar feed tokens.

The outbox (`Notification`) is written in the same transaction as the booking change that
causes it; a unique key (booking, kind, channel, reminder offset, booking start, sequence)
makes a second row for the same message impossible. The worker claims due rows, sends them
and records every try as a `NotificationAttempt`.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from trainerhub.core.crypto import EncryptedTextField
from trainerhub.core.tenancy import TrainerOwned


class Kind(models.TextChoices):
    # To the client
    BOOKING_CONFIRMED = "booking_confirmed", "Booking confirmed (to client)"
    REQUEST_RECEIVED = "request_received", "Request received (to client)"
    REQUEST_DECLINED = "request_declined", "Request declined (to client)"
    BOOKING_RESCHEDULED = "booking_rescheduled", "Booking rescheduled (to client)"
    BOOKING_CANCELLED = "booking_cancelled", "Booking cancelled (to client)"
    REMINDER = "reminder", "Reminder before the session (to client)"
    # One message for a whole recurring series, instead of one per date
    SERIES_BOOKED = "series_booked", "Recurring sessions booked (to client)"
    SERIES_CANCELLED = "series_cancelled", "Recurring sessions cancelled (to client)"
    # A document to sign, with its private link (written by trainerhub.contracts)
    CONTRACT_REQUEST = "contract_request", "Document to sign (to client)"
    # A session package's credits run out soon (written by trainerhub.packages)
    PACKAGE_EXPIRING = "package_expiring", "Package credits expire soon (to client)"
    # A program assigned or changed (written by trainerhub.coaching)
    PROGRAM_ASSIGNED = "program_assigned", "Training program assigned (to client)"
    PROGRAM_CHANGED = "program_changed", "Training program changed (to client)"
    # The trainer's one-click check-in with a client at risk (written by trainerhub.insights)
    CHECK_IN = "check_in", "Check-in with a client who has not been in (to client)"
    # An online session's link made after its booking (a Zoom meeting; trainerhub.meetings)
    MEETING_LINK = "meeting_link", "Video-call link ready (to client)"
    # To the trainer
    TRAINER_NEW_BOOKING = "trainer_new_booking", "New booking"
    TRAINER_CLIENT_CANCELLED = "trainer_client_cancelled", "Client cancelled"
    TRAINER_CLIENT_RESCHEDULED = "trainer_client_rescheduled", "Client rescheduled"
    TRAINER_PENDING_REQUEST = "trainer_pending_request", "Booking request waiting"
    TRAINER_DAILY_AGENDA = "trainer_daily_agenda", "Daily agenda"
    # Account mail
    WELCOME = "welcome", "Welcome"
    # Money (written by billing through notifications.documents, email only)
    INVOICE_SENT = "invoice_sent", "Invoice (to client)"
    INVOICE_OVERDUE = "invoice_overdue", "Overdue invoice reminder (to client)"
    # A numbered receipt (PDF) for money paid or refunded online (written by billing)
    PAYMENT_RECEIPT = "payment_receipt", "Payment receipt (to client)"
    REFUND_RECEIPT = "refund_receipt", "Refund receipt (to client)"


CLIENT_KINDS = frozenset(
    {
        Kind.BOOKING_CONFIRMED,
        Kind.REQUEST_RECEIVED,
        Kind.REQUEST_DECLINED,
        Kind.BOOKING_RESCHEDULED,
        Kind.BOOKING_CANCELLED,
        Kind.REMINDER,
        Kind.SERIES_BOOKED,
        Kind.SERIES_CANCELLED,
        Kind.CONTRACT_REQUEST,
        Kind.PACKAGE_EXPIRING,
        Kind.PROGRAM_ASSIGNED,
        Kind.PROGRAM_CHANGED,
        Kind.CHECK_IN,
        Kind.MEETING_LINK,
        Kind.INVOICE_SENT,
        Kind.INVOICE_OVERDUE,
        Kind.PAYMENT_RECEIPT,
        Kind.REFUND_RECEIPT,
    }
)
# Messages about no booking, written by the apps above through outbox.to_client_email: they
# go by email only (an invoice's PDF, a signing link that identifies the signer by address).
EMAIL_ONLY_KINDS = frozenset(
    {
        Kind.CONTRACT_REQUEST,
        Kind.PACKAGE_EXPIRING,
        Kind.PROGRAM_ASSIGNED,
        Kind.PROGRAM_CHANGED,
        Kind.CHECK_IN,
        Kind.INVOICE_SENT,
        Kind.INVOICE_OVERDUE,
        Kind.PAYMENT_RECEIPT,
        Kind.REFUND_RECEIPT,
    }
)
# Transactional messages: the record of money the client paid or got back. Always sent (by
# email, with the PDF): the trainer cannot turn them off, and the client's "stop reminders"
# link does not stop them (nor do they carry one); consent rules for marketing and
# reminders do not apply to a receipt, and a client who paid is owed one.
ALWAYS_SENT_KINDS = frozenset({Kind.PAYMENT_RECEIPT, Kind.REFUND_RECEIPT})
TRAINER_KINDS = frozenset(
    {
        Kind.TRAINER_NEW_BOOKING,
        Kind.TRAINER_CLIENT_CANCELLED,
        Kind.TRAINER_CLIENT_RESCHEDULED,
        Kind.TRAINER_PENDING_REQUEST,
        Kind.TRAINER_DAILY_AGENDA,
    }
)


class Channel(models.TextChoices):
    EMAIL = "email", "Email"
    SMS = "sms", "SMS"
    TELEGRAM = "telegram", "Telegram"
    INAPP = "inapp", "In-app"


class Notification(TrainerOwned):
    """One message to one recipient through one channel (the outbox row)."""

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting"
        SENDING = "sending", "Sending"
        SENT = "sent", "Delivered"
        FAILED = "failed", "Failed"
        SKIPPED = "skipped", "Not sent"
        UNKNOWN = "unknown", "Delivery unknown"

    class Recipient(models.TextChoices):
        CLIENT = "client", "Client"
        TRAINER = "trainer", "Trainer"

    kind = models.CharField(max_length=32, choices=Kind.choices)
    channel = models.CharField(max_length=10, choices=Channel.choices)
    recipient = models.CharField(max_length=10, choices=Recipient.choices)
    booking = models.ForeignKey(
        "scheduling.Booking",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    client = models.ForeignKey(
        "clients.Client",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    # Minutes before the session for reminders; 0 for every other kind.
    offset_minutes = models.PositiveIntegerField(default=0)
    # The booking's start and sequence when the row was written: a moved booking gets new
    # rows (a new key) and the old reminders no longer match its start.
    booking_start = models.DateTimeField(null=True, blank=True)
    booking_sequence = models.PositiveIntegerField(default=0)
    # Dedupe key of rows without a booking (the agenda's date, "welcome").
    dedupe = models.CharField(max_length=64, blank=True)
    # Event details the message shows (reason, who, old times); rendered at send time.
    context = models.JSONField(default=dict, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    due_at = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=0)
    claimed_at = models.DateTimeField(null=True, blank=True)
    claimed_by = models.CharField(max_length=64, blank=True)
    # The fence of a claim: a fresh token per claim, and the moment the claim lapses. Every
    # write of the worker that claimed the row names its token, so a worker that stalled
    # past its lease (while another recovered the row) can neither send nor record it.
    claim_token = models.CharField(max_length=32, blank=True)
    lease_until = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    to_address = models.CharField(max_length=254, blank=True)
    subject = models.CharField(max_length=255, blank=True)
    last_error = models.TextField(max_length=2000, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=[
                    "booking",
                    "kind",
                    "channel",
                    "offset_minutes",
                    "booking_start",
                    "booking_sequence",
                ],
                condition=Q(booking__isnull=False),
                name="notification_once_per_booking_key",
            ),
            models.UniqueConstraint(
                fields=["trainer", "kind", "channel", "dedupe"],
                condition=Q(booking__isnull=True),
                name="notification_once_per_dedupe_key",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "due_at"]),
            models.Index(fields=["trainer", "created_at"]),
            models.Index(fields=["client", "created_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} via {self.channel} ({self.status})"


class NotificationAttempt(models.Model):
    """One try at handing a message to its channel, with the outcome."""

    class Outcome(models.TextChoices):
        IN_FLIGHT = "in_flight", "Handing over"
        OK = "ok", "Delivered"
        ERROR = "error", "Error"

    notification = models.ForeignKey(
        Notification, on_delete=models.CASCADE, related_name="attempt_rows"
    )
    worker = models.CharField(max_length=64, blank=True)
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(max_length=10, choices=Outcome.choices, default=Outcome.IN_FLIGHT)
    provider_id = models.CharField(max_length=200, blank=True)
    error = models.TextField(max_length=2000, blank=True)

    class Meta:
        ordering = ["started_at", "id"]

    def __str__(self) -> str:
        return f"attempt {self.pk}: {self.outcome}"


class InAppNotification(TrainerOwned):
    """A line in the trainer's notification centre."""

    title = models.CharField(max_length=200)
    body = models.TextField(max_length=2000, blank=True)
    url = models.CharField(max_length=500, blank=True)
    read_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["trainer", "read_at"])]


class ClientInAppNotification(TrainerOwned):
    """A line in a client's notification centre in their portal (issue 18.17): what their
    trainer did about their bookings, a document to sign, an invoice. Written only for
    clients with a portal account, in the transaction of the change it tells."""

    client = models.ForeignKey(
        "clients.Client", on_delete=models.CASCADE, related_name="in_app_notifications"
    )
    kind = models.CharField(max_length=32, choices=Kind.choices)
    title = models.CharField(max_length=200)
    body = models.TextField(max_length=2000, blank=True)
    url = models.CharField(max_length=500, blank=True)
    read_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["client", "read_at"])]


class NotificationPreference(TrainerOwned):
    """The trainer's choice for one message kind through one channel (default: see prefs)."""

    kind = models.CharField(max_length=32, choices=Kind.choices)
    channel = models.CharField(max_length=10, choices=Channel.choices)
    enabled = models.BooleanField(default=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["trainer", "kind", "channel"], name="one_preference_per_kind_channel"
            )
        ]


def default_offsets() -> list[int]:
    return [24 * 60, 2 * 60]


class NotificationSettings(TrainerOwned):
    """Per trainer: reminder offsets (minutes before the session) and the daily agenda."""

    reminder_offsets = models.JSONField(default=default_offsets, blank=True)
    daily_agenda = models.BooleanField(default=False)
    agenda_hour = models.PositiveSmallIntegerField(default=7)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["trainer"], name="one_notification_settings")
        ]


class SmsAccount(TrainerOwned):
    """A trainer's own Twilio account: their texts go from their number, on their bill.
    Without one, the operator's account from the environment sends (when it is set)."""

    account_sid = models.CharField(max_length=64)
    # Encrypted at rest (core/crypto.py); never shown back in full, never logged.
    auth_token = EncryptedTextField()
    from_number = models.CharField(max_length=32)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["trainer"], name="one_sms_account")]


class TelegramBot(TrainerOwned):
    """A trainer's own Telegram bot: their clients chat with their bot, by their name.
    Without one, the operator's bot from the environment sends (when it is set)."""

    # Encrypted at rest (core/crypto.py); never shown back in full, never logged.
    bot_token = EncryptedTextField()
    bot_name = models.CharField(max_length=64)  # the username Telegram gave it, without "@"
    # The webhook path's secret: an HMAC of the token, so updates name their bot without
    # the token itself ever appearing in a URL.
    webhook_secret = models.CharField(max_length=64, unique=True)
    # Telegram pushes updates to our webhook (an HTTPS SITE_URL); else the worker polls.
    webhook_set = models.BooleanField(default=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["trainer"], name="one_telegram_bot")]


class ClientChannels(TrainerOwned):
    """A client's links to channels: Telegram chat, reminder unsubscribe."""

    client = models.OneToOneField(
        "clients.Client", on_delete=models.CASCADE, related_name="notification_channels"
    )
    telegram_chat_id = models.CharField(max_length=32, blank=True)
    telegram_link_code = models.CharField(max_length=64, blank=True, db_index=True)
    telegram_code_created_at = models.DateTimeField(null=True, blank=True)
    reminders_unsubscribed_at = models.DateTimeField(null=True, blank=True)


class CalendarFeed(TrainerOwned):
    """A private iCalendar feed: the trainer's (client is null) or one client's."""

    client = models.ForeignKey(
        "clients.Client",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="calendar_feeds",
    )
    token = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]


class WorkerState(models.Model):
    """Small key/value memory of the worker (the Telegram getUpdates offset)."""

    key = models.CharField(max_length=64, primary_key=True)
    value = models.CharField(max_length=200, blank=True)

    class Meta:
        verbose_name = "worker state"

    def __str__(self) -> str:
        return self.key
