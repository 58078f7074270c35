"""The trainer's settings of the public booking page and the client portal."""

from __future__ import annotations

import secrets

from django.core.validators import MaxValueValidator
from django.db import models

from trainerhub.core.tenancy import TrainerOwned


def new_invite_code() -> str:
    # 12 url-safe characters: short enough to type from a flyer, too many to guess.
    return secrets.token_urlsafe(9)


class PortalSettings(TrainerOwned):
    """One per trainer; created with defaults the first time it is needed."""

    enabled = models.BooleanField(
        "public booking page on",
        default=True,
        help_text="When off, your booking page and invite link answer “not found”.",
    )
    cancellation_window_hours = models.PositiveIntegerField(
        "free cancellation until (hours before)",
        default=24,
        validators=[MaxValueValidator(24 * 14)],
        help_text="Clients may still cancel later, but it is recorded as a late cancellation.",
    )
    welcome_text = models.TextField(
        max_length=2000, blank=True, help_text="Shown at the top of your booking page."
    )
    invite_code = models.CharField(max_length=32, unique=True, default=new_invite_code)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "portal settings"
        verbose_name_plural = "portal settings"
        constraints = [
            models.UniqueConstraint(fields=["trainer"], name="one_portal_settings_per_trainer"),
        ]

    def __str__(self) -> str:
        return f"Portal settings of trainer {self.trainer_id}"


class BookingAnswers(TrainerOwned):
    """What a visitor typed on the public page when their email matched an existing client.

    Holding an address proves nothing, so the booking never writes these onto the client's
    record: they wait here until the trainer applies or ignores them (client page)."""

    class Decision(models.TextChoices):
        PENDING = "", "Waiting for the trainer"
        APPLIED = "applied", "Applied"
        IGNORED = "ignored", "Ignored"

    booking = models.OneToOneField(
        "scheduling.Booking", on_delete=models.CASCADE, related_name="visitor_answers"
    )
    first_name = models.CharField(max_length=100, blank=True)
    last_name = models.CharField(max_length=100, blank=True)
    phone = models.CharField(max_length=40, blank=True)
    custom_fields = models.JSONField(default=dict, blank=True)
    decision = models.CharField(max_length=10, choices=Decision.choices, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "answers from a public booking"
        verbose_name_plural = "answers from public bookings"

    def __str__(self) -> str:
        return f"Answers of booking {self.booking_id}"
