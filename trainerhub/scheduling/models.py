"""Services, availability and bookings.

A `Session` is one occupied stretch of the trainer's time (one service at one start); each
client's place in it is a `Booking`. A private service has one booking per session, a group
service up to `capacity`. The double-booking guard works on sessions: their blocked ranges
(the session plus its service's buffers) of active sessions may never overlap, which
PostgreSQL enforces with an exclusion constraint (see the migrations) and SQLite by
serialising writers (`transaction_mode: IMMEDIATE`).
"""

from __future__ import annotations

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

from trainerhub.core.currencies import CURRENCY_CHOICES
from trainerhub.core.tenancy import TrainerOwned

color_validator = RegexValidator(r"^#[0-9a-fA-F]{6}$", "Use a colour like #3b82f6.")


class HttpsURLField(models.URLField):
    """A link typed without its scheme means https (Django 6's default, asked for now)."""

    def formfield(self, **kwargs: Any) -> Any:
        return super().formfield(**{"assume_scheme": "https", **kwargs})


class Service(TrainerOwned):
    name = models.CharField(max_length=120)
    description = models.TextField(max_length=4000, blank=True)
    duration_minutes = models.PositiveIntegerField(
        validators=[MinValueValidator(5), MaxValueValidator(480)]
    )
    price = models.DecimalField(
        max_digits=10, decimal_places=2, default=0, validators=[MinValueValidator(0)]
    )
    currency = models.CharField(max_length=3, choices=CURRENCY_CHOICES, default="EUR")
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
        help_text="For online sessions: the Zoom, Meet or Teams link your clients join. "
        "Clients see it only after booking.",
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

    @property
    def interval_minutes(self) -> int:
        return self.slot_interval_minutes or self.duration_minutes


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
        ]


class Booking(TrainerOwned):
    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        CONFIRMED = "confirmed", "Confirmed"
        COMPLETED = "completed", "Completed"
        CANCELLED = "cancelled", "Cancelled"
        DECLINED = "declined", "Declined"
        NO_SHOW = "no_show", "No-show"

    class Source(models.TextChoices):
        TRAINER = "trainer", "Trainer"
        CLIENT = "client", "Client"
        API = "api", "API"

    ACTIVE_STATUSES = (Status.PENDING, Status.CONFIRMED)

    session = models.ForeignKey(Session, on_delete=models.PROTECT, related_name="bookings")
    client = models.ForeignKey("clients.Client", on_delete=models.PROTECT, related_name="bookings")
    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="bookings")
    series = models.ForeignKey(
        BookingSeries, null=True, blank=True, on_delete=models.SET_NULL, related_name="bookings"
    )
    # Copies of the session's times, stored in UTC, for filtering without a join.
    start = models.DateTimeField()
    end = models.DateTimeField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.CONFIRMED)
    notes = models.TextField(max_length=4000, blank=True)
    location = models.CharField(max_length=255, blank=True)
    price = models.DecimalField(max_digits=10, decimal_places=2, default=0)
    currency = models.CharField(max_length=3, default="EUR")
    created_by = models.CharField(max_length=10, choices=Source.choices, default=Source.TRAINER)
    cancellation_reason = models.TextField(max_length=1000, blank=True)
    cancelled_by = models.CharField(max_length=10, choices=Source.choices, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    late_cancellation = models.BooleanField(default=False)
    # The private manage link of the portal (a long random token).
    manage_token = models.CharField(max_length=64, unique=True, null=True, blank=True)
    # Grows on each change; the calendar feed's SEQUENCE.
    sequence = models.PositiveIntegerField(default=0)
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
                condition=models.Q(status__in=["pending", "confirmed"]),
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
