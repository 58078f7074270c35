"""Services, availability and bookings.

A `Session` is one occupied stretch of the trainer's time (one service at one start); each
client's place in it is a `Booking`. A private service has one booking per session, a group
service up to `capacity`. The double-booking guard works on sessions: their blocked ranges
(the session plus its service's buffers) of active sessions may never overlap, which
PostgreSQL enforces with an exclusion constraint (see the migrations) and SQLite by
serialising writers (`transaction_mode: IMMEDIATE`).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import (
    MaxValueValidator,
    MinValueValidator,
    RegexValidator,
    URLValidator,
)
from django.db import models
from django.db.models.functions import Lower

from trainerhub.core.currencies import CURRENCY_CHOICES
from trainerhub.core.tenancy import TrainerOwned

color_validator = RegexValidator(r"^#[0-9a-fA-F]{6}$", "Use a colour like #3b82f6.")


class HttpsURLField(models.URLField):
    """A link typed without its scheme means https (Django 6's default, asked for now)."""

    def formfield(self, **kwargs: Any) -> Any:
        return super().formfield(**{"assume_scheme": "https", **kwargs})


class MeetingKind(models.TextChoices):
    FIXED = "fixed", "A fixed link"
    JITSI = "jitsi", "Jitsi Meet (a room for each booking)"
    ZOOM = "zoom", "Zoom (a meeting for each booking)"


def zoom_configured() -> bool:
    """Whether the operator set up Zoom's Server-to-Server OAuth app (all three settings)."""
    return all(
        getattr(settings, name, "")
        for name in ("ZOOM_ACCOUNT_ID", "ZOOM_CLIENT_ID", "ZOOM_CLIENT_SECRET")
    )


class Service(TrainerOwned):
    MeetingKind = MeetingKind

    class PriceMode(models.TextChoices):
        FIXED = "fixed", "Per session"
        PER_HOUR = "per_hour", "Per hour"

    class DepositKind(models.TextChoices):
        NONE = "none", "No deposit"
        AMOUNT = "amount", "A fixed amount"
        PERCENT = "percent", "A percentage of the total"

    name = models.CharField(max_length=120)
    description = models.TextField(max_length=4000, blank=True)
    duration_minutes = models.PositiveIntegerField(
        validators=[MinValueValidator(5), MaxValueValidator(480)]
    )
    price = models.DecimalField(
        max_digits=10, decimal_places=2, default=0, validators=[MinValueValidator(0)]
    )
    currency = models.CharField(max_length=3, choices=CURRENCY_CHOICES, default="EUR")
    # per_hour: the price is for 60 minutes; a session costs price * duration / 60.
    price_mode = models.CharField(max_length=8, choices=PriceMode.choices, default=PriceMode.FIXED)
    # What the client owes before the session (recorded here; cards come later).
    deposit_kind = models.CharField(
        max_length=8, choices=DepositKind.choices, default=DepositKind.NONE
    )
    deposit_value = models.DecimalField(
        max_digits=10,
        decimal_places=2,
        default=0,
        validators=[MinValueValidator(0), MaxValueValidator(1_000_000)],
    )
    # Whether a client booking on the public page may choose to pay at the session.
    allow_pay_at_session = models.BooleanField(default=False)
    buffer_before_minutes = models.PositiveIntegerField(
        default=0, validators=[MaxValueValidator(240)]
    )
    buffer_after_minutes = models.PositiveIntegerField(
        default=0, validators=[MaxValueValidator(240)]
    )
    # None means "every duration_minutes".
    slot_interval_minutes = models.PositiveIntegerField(
        null=True, blank=True, validators=[MinValueValidator(5), MaxValueValidator(480)]
    )
    capacity = models.PositiveIntegerField(
        default=1, validators=[MinValueValidator(1), MaxValueValidator(500)]
    )
    min_notice_minutes = models.PositiveIntegerField(
        default=60, validators=[MaxValueValidator(60 * 24 * 90)]
    )
    max_advance_days = models.PositiveIntegerField(
        default=60, validators=[MinValueValidator(1), MaxValueValidator(730)]
    )
    max_per_day = models.PositiveIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1)]
    )
    requires_confirmation = models.BooleanField(default=False)
    location = models.CharField(max_length=255, blank=True)
    is_online = models.BooleanField(default=False)
    # Given to the client once booked (confirmation, reminders, manage page), never shown on
    # the public page: anyone could join the call otherwise.
    video_url = HttpsURLField(
        "video-call link",
        max_length=500,
        blank=True,
        validators=[URLValidator(schemes=["https"])],
        help_text="With a fixed link: the Zoom, Meet or Teams link your clients join. "
        "Clients see it only after booking.",
    )
    # How an online service's bookings get their meeting link (trainerhub/meetings).
    meeting_kind = models.CharField(
        "video meeting",
        max_length=8,
        choices=MeetingKind.choices,
        default=MeetingKind.FIXED,
        help_text="A fixed link you paste, a Jitsi Meet room of its own for each booking, or a "
        "Zoom meeting created for each booking.",
    )
    color = models.CharField(max_length=7, default="#3b82f6", validators=[color_validator])
    is_active = models.BooleanField(default=True)
    # Whether clients may book it on the public page (the portal's setting).
    bookable_online = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    # What a trainer sets on a service, in form order: one list for the form, the API and
    # the services that write it (is_active is toggled separately on pages).
    EDITABLE_FIELDS = (
        "name",
        "description",
        "duration_minutes",
        "price",
        "currency",
        "price_mode",
        "deposit_kind",
        "deposit_value",
        "allow_pay_at_session",
        "buffer_before_minutes",
        "buffer_after_minutes",
        "slot_interval_minutes",
        "capacity",
        "min_notice_minutes",
        "max_advance_days",
        "max_per_day",
        "requires_confirmation",
        "location",
        "is_online",
        "meeting_kind",
        "video_url",
        "color",
        "bookable_online",
    )

    class Meta:
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        super().clean()
        if self.video_url and not self.is_online:
            message = "A video-call link is for online services: mark this service as online."
            raise ValidationError({"video_url": message})
        if self.is_online:
            self._clean_meeting()
        if self.deposit_kind == self.DepositKind.NONE and self.deposit_value:
            raise ValidationError({"deposit_value": "Choose a kind of deposit, or leave it 0."})
        if self.deposit_kind == self.DepositKind.PERCENT and self.deposit_value > 100:
            raise ValidationError({"deposit_value": "A percentage deposit is at most 100."})
        if self.deposit_kind != self.DepositKind.NONE and not self.deposit_value:
            raise ValidationError({"deposit_value": "Give the deposit (more than 0)."})

    def _clean_meeting(self) -> None:
        if self.meeting_kind == MeetingKind.FIXED and not self.video_url:
            message = (
                "Paste the link your clients join, or choose Jitsi Meet for a room of its own "
                "for each booking."
            )
            raise ValidationError({"video_url": message})
        if self.meeting_kind == MeetingKind.ZOOM and not zoom_configured():
            message = (
                "Zoom is not set up on this server (the operator sets ZOOM_ACCOUNT_ID, "
                "ZOOM_CLIENT_ID and ZOOM_CLIENT_SECRET): choose Jitsi Meet or a fixed link."
            )
            raise ValidationError({"meeting_kind": message})

    @property
    def interval_minutes(self) -> int:
        return self.slot_interval_minutes or self.duration_minutes


class ServiceAddon(TrainerOwned):
    """An extra a client may take with a service ("extra hour", "film roll look").

    Its `extra_minutes` lengthen the session and its blocked range. A session is one stretch of
    time for all its attendees, so on a group service (capacity > 1) add-ons add to the price
    only: `extra_minutes` must be 0 there (pricing.check_addon says so to every surface).
    """

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="addons")
    name = models.CharField(max_length=120)
    price = models.DecimalField(
        max_digits=10,
        decimal_places=2,
        default=0,
        validators=[MinValueValidator(0), MaxValueValidator(1_000_000)],
    )
    extra_minutes = models.PositiveIntegerField(default=0, validators=[MaxValueValidator(480)])
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    EDITABLE_FIELDS = ("name", "price", "extra_minutes", "is_active")

    class Meta:
        ordering = ["service", "name", "id"]

    def __str__(self) -> str:
        return self.name


class DiscountCode(TrainerOwned):
    """A code a client types at booking: a percentage or an amount off the session's total.

    `code` is matched case-insensitively and unique per trainer (stored as typed, compared
    lower-case). `uses` counts the bookings made with it; `max_uses` caps it under concurrency
    (one conditional UPDATE). An amount off is in the booked service's currency and never more
    than its total. No `services` means every service.
    """

    code = models.CharField(max_length=40)
    percent_off = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(100)]
    )
    amount_off = models.DecimalField(
        max_digits=10,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(1_000_000)],
    )
    # Local dates of the trainer, both inclusive; empty means open-ended.
    valid_from = models.DateField(null=True, blank=True)
    valid_until = models.DateField(null=True, blank=True)
    services = models.ManyToManyField(Service, blank=True, related_name="discount_codes")
    max_uses = models.PositiveIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(1_000_000)]
    )
    max_uses_per_client = models.PositiveIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(1_000_000)]
    )
    uses = models.PositiveIntegerField(default=0)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    EDITABLE_FIELDS = (
        "code",
        "percent_off",
        "amount_off",
        "valid_from",
        "valid_until",
        "max_uses",
        "max_uses_per_client",
        "is_active",
    )

    class Meta:
        ordering = ["-is_active", "code", "id"]
        constraints = [
            models.UniqueConstraint(
                "trainer", Lower("code"), name="discount_code_unique_per_trainer"
            ),
            models.CheckConstraint(
                condition=models.Q(max_uses__isnull=True)
                | models.Q(uses__lte=models.F("max_uses")),
                name="discount_uses_within_max",
            ),
        ]

    def __str__(self) -> str:
        return self.code


class WeeklyInterval(TrainerOwned):
    """Working hours: one interval of one weekday (0 = Monday), in the trainer's timezone."""

    weekday = models.PositiveSmallIntegerField(validators=[MaxValueValidator(6)])
    start = models.TimeField()
    end = models.TimeField()
    # Limits the interval to one service ("branding shoots only on Fridays").
    service = models.ForeignKey(Service, null=True, blank=True, on_delete=models.CASCADE)

    class Meta:
        ordering = ["weekday", "start", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(start__lt=models.F("end")), name="weekly_start_before_end"
            ),
        ]


class DateOverride(TrainerOwned):
    """For one local date: these intervals replace the weekday's hours, or the date is closed.

    `intervals` is a list of {"start": "HH:MM", "end": "HH:MM"}.
    """

    date = models.DateField()
    closed = models.BooleanField(default=False)
    intervals = models.JSONField(default=list, blank=True)
    note = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["date"]
        constraints = [
            models.UniqueConstraint(fields=["trainer", "date"], name="one_override_per_date"),
        ]


class TimeOff(TrainerOwned):
    """An absolute range when the trainer is away (a break, a vacation over several days)."""

    start = models.DateTimeField()
    end = models.DateTimeField()
    reason = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["start"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(start__lt=models.F("end")), name="timeoff_start_before_end"
            ),
        ]


class ExternalBusy(TrainerOwned):
    """A range the trainer is busy in one of their own calendars (an ICS subscription).

    Written only by `trainerhub.calendars` (which fetches and expands the calendars); it
    lives here so the slot loader reads it without importing an app above scheduling.
    `calendar_id` names the source row of `calendars.CalendarSubscription` as a plain id
    (no foreign key, for the same reason); deleting a calendar deletes its ranges.
    """

    calendar_id = models.PositiveBigIntegerField(db_index=True)
    start = models.DateTimeField()
    end = models.DateTimeField()

    class Meta:
        ordering = ["start"]
        indexes = [models.Index(fields=["trainer", "end"], name="externalbusy_trainer_end")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(start__lt=models.F("end")), name="externalbusy_start_before_end"
            ),
        ]


class BookingSeries(TrainerOwned):
    """A recurring booking: every `every_weeks` weeks, `count` times or until a date."""

    client = models.ForeignKey("clients.Client", on_delete=models.PROTECT)
    service = models.ForeignKey(Service, on_delete=models.PROTECT)
    every_weeks = models.PositiveSmallIntegerField(
        default=1, validators=[MinValueValidator(1), MaxValueValidator(12)]
    )
    count = models.PositiveSmallIntegerField(null=True, blank=True)
    until = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)


class Session(TrainerOwned):
    """One occupied stretch of time: a service at a start, with one or more attendees."""

    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="sessions")
    start = models.DateTimeField()
    end = models.DateTimeField()
    # start - buffer_before .. end + buffer_after of the service at booking time.
    blocked_start = models.DateTimeField()
    blocked_end = models.DateTimeField()
    capacity = models.PositiveIntegerField(default=1)
    # True while at least one attendee's booking is pending or confirmed (or completed:
    # a held session stays held). Only active sessions block time.
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["start"]
        indexes = [
            models.Index(fields=["trainer", "active", "blocked_start", "blocked_end"]),
            models.Index(fields=["trainer", "service", "start"]),
            # The slot loader's read: active sessions ending after the asked range begins.
            # Past sessions stay active (a completed one holds its time), so an index led by
            # blocked_start walks a trainer's whole history; led by blocked_end it starts at
            # the range and a trainer's past costs nothing (issue 20, growth).
            models.Index(
                fields=["trainer", "blocked_end"],
                condition=models.Q(active=True),
                name="session_active_trainer_end",
            ),
        ]


class Booking(TrainerOwned):
    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        CONFIRMED = "confirmed", "Confirmed"
        COMPLETED = "completed", "Completed"
        CANCELLED = "cancelled", "Cancelled"
        DECLINED = "declined", "Declined"
        NO_SHOW = "no_show", "No-show"
        # Held while the client pays online (billing's checkout): the slot is taken, the
        # booking is not confirmed; released by the worker if no payment arrives in time.
        PENDING_PAYMENT = "pending_payment", "Awaiting payment"

    class Source(models.TextChoices):
        TRAINER = "trainer", "Trainer"
        CLIENT = "client", "Client"
        API = "api", "API"

    ACTIVE_STATUSES = (Status.PENDING, Status.CONFIRMED)
    # What holds a client's one seat in a session: the active bookings and a payment hold.
    HELD_STATUSES = (Status.PENDING, Status.CONFIRMED, Status.PENDING_PAYMENT)

    session = models.ForeignKey(Session, on_delete=models.PROTECT, related_name="bookings")
    client = models.ForeignKey("clients.Client", on_delete=models.PROTECT, related_name="bookings")
    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="bookings")
    series = models.ForeignKey(
        BookingSeries, null=True, blank=True, on_delete=models.SET_NULL, related_name="bookings"
    )
    # Copies of the session's times, stored in UTC, for filtering without a join.
    start = models.DateTimeField()
    end = models.DateTimeField()
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.CONFIRMED)
    notes = models.TextField(max_length=4000, blank=True)
    location = models.CharField(max_length=255, blank=True)
    # The price snapshot, taken at booking and never recomputed: `price` is the total (base +
    # add-ons - discount), `price_addons` [{id, name, price, extra_minutes}] as they were.
    price = models.DecimalField(max_digits=10, decimal_places=2, default=0)
    currency = models.CharField(max_length=3, default="EUR")
    price_base = models.DecimalField(max_digits=10, decimal_places=2, default=0)
    price_addons = models.JSONField(default=list, blank=True)
    discount = models.ForeignKey(
        DiscountCode, null=True, blank=True, on_delete=models.SET_NULL, related_name="bookings"
    )
    discount_code = models.CharField(max_length=40, blank=True)
    discount_amount = models.DecimalField(max_digits=10, decimal_places=2, default=0)
    deposit_due = models.DecimalField(max_digits=10, decimal_places=2, default=0)
    pay_at_session = models.BooleanField(default=False)
    # Minutes the add-ons added to the service's duration (kept when rescheduling).
    extra_minutes = models.PositiveIntegerField(default=0)
    created_by = models.CharField(max_length=10, choices=Source.choices, default=Source.TRAINER)
    cancellation_reason = models.TextField(max_length=1000, blank=True)
    cancelled_by = models.CharField(max_length=10, choices=Source.choices, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    late_cancellation = models.BooleanField(default=False)
    # The private manage link of the portal (a long random token).
    manage_token = models.CharField(max_length=64, unique=True, null=True, blank=True)
    # Grows on each change; the calendar feed's SEQUENCE.
    sequence = models.PositiveIntegerField(default=0)
    # The online session's meeting (trainerhub/meetings): the link the client joins, how it
    # was made (a service's kind, kept when the service changes) and Zoom's meeting id. Every
    # attendee of a group session shares one meeting. A Zoom link is empty until the worker
    # has created the meeting.
    # "" (no meeting) or a MeetingKind value; no choices of its own, so the API document
    # names one meeting-kind enum (the service's), not two of the same values.
    meeting_provider = models.CharField(max_length=8, blank=True)
    meeting_url = models.URLField(max_length=1000, blank=True)
    meeting_id = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["start", "id"]
        indexes = [
            models.Index(fields=["trainer", "start"]),
            models.Index(fields=["trainer", "status", "start"]),
            models.Index(fields=["client", "start"]),
        ]
        constraints = [
            # One seat per client in a session: a double submit, or two tabs racing, must not
            # take two places of a group class. The services refuse it first with a message;
            # this is the last word when two requests pass that check at once.
            models.UniqueConstraint(
                fields=["session", "client"],
                condition=models.Q(status__in=["pending", "confirmed", "pending_payment"]),
                name="one_active_booking_per_client_per_session",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.service} with {self.client} at {self.start:%Y-%m-%d %H:%M} UTC"

    @property
    def is_active(self) -> bool:
        return self.status in self.ACTIVE_STATUSES


class BookingEvent(TrainerOwned):
    """The history of a booking: who did what, when (and from → to for a reschedule)."""

    class Kind(models.TextChoices):
        CREATED = "created", "Created"
        CONFIRMED = "confirmed", "Confirmed"
        DECLINED = "declined", "Declined"
        RESCHEDULED = "rescheduled", "Rescheduled"
        CANCELLED = "cancelled", "Cancelled"
        COMPLETED = "completed", "Completed"
        NO_SHOW = "no_show", "Marked no-show"
        EDITED = "edited", "Edited"

    booking = models.ForeignKey(Booking, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    actor = models.CharField(max_length=10, choices=Booking.Source.choices)
    actor_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["at", "id"]


class SchedulingSettings(TrainerOwned):
    """Per trainer: what the worker does with requests left unanswered and sessions left
    unmarked. Both off (null) until the trainer turns them on."""

    # A pending request nobody confirmed within this many hours is declined as expired (the
    # client is told, the time is free again). A request whose start passed expires anyway.
    request_expiry_hours = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(720)]
    )
    # A confirmed session is marked completed this many hours after it ended, unless the
    # trainer marked it a no-show (or anything else) first.
    auto_complete_hours = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(0), MaxValueValidator(720)]
    )
    # The day limit across all services (issue 18 item 8): at most this many bookings, and at
    # most this many booked hours (sessions' own length, a group session counted once), on
    # one of the trainer's local dates. Either, both or neither (null: no limit). The slot
    # engine enforces both for listing and for accepting (slots.DayLimit).
    max_bookings_per_day = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(500)]
    )
    max_hours_per_day = models.DecimalField(
        max_digits=4,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0.25")), MaxValueValidator(Decimal("24"))],
    )

    class Meta:
        constraints = [models.UniqueConstraint(fields=["trainer"], name="one_scheduling_settings")]


# The Zoom calls still to make (trainerhub/scheduling/meetings): a model of this app.
from trainerhub.scheduling.meetings.models import MeetingTask  # noqa: E402, F401
