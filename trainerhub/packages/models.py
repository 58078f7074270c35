"""Session packages: the trainer's catalogue, the packages clients bought, and their ledger.

A client package's credits are never a counter: every change is an append-only
`LedgerEntry` with a signed number of sessions, and the balance is their sum.

    grant    +N  the package was sold
    reserve  -1  a booking took a credit
    release  +1  the booking was declined or cancelled in time: the credit comes back
    consume   0  the session took place (the reserved credit is spent)
    forfeit   0  late cancellation or no-show under the trainer's policy (spent too)
    expire   -n  the package expired with n credits left
    adjust   ±n  the trainer's correction, always with a reason

So the balance is the grants minus the credits bookings hold or spent, expired or adjusted
away; the services never let it go below zero.
"""

from __future__ import annotations

from typing import Any

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from trainerhub.core.currencies import CURRENCY_CHOICES
from trainerhub.core.tenancy import TrainerOwned

MAX_SESSIONS = 500
MAX_VALID_DAYS = 3650


class Package(TrainerOwned):
    """One offer of the trainer's catalogue, e.g. "10 sessions, valid 90 days"."""

    name = models.CharField(max_length=120)
    description = models.TextField(max_length=2000, blank=True)
    sessions_count = models.PositiveIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(MAX_SESSIONS)]
    )
    price = models.DecimalField(
        max_digits=10,
        decimal_places=2,
        validators=[MinValueValidator(0), MaxValueValidator(99_999_999)],
    )
    currency = models.CharField(max_length=3, choices=CURRENCY_CHOICES, default="EUR")
    # None: the credits never expire.
    valid_days = models.PositiveIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(MAX_VALID_DAYS)]
    )
    # None chosen: the package covers every service.
    services = models.ManyToManyField("scheduling.Service", blank=True, related_name="+")
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name", "id"]
        indexes = [models.Index(fields=["trainer", "is_active"])]

    def __str__(self) -> str:
        return self.name


class ClientPackage(TrainerOwned):
    """One purchase: the package as it was sold (a snapshot), for one client."""

    class Status(models.TextChoices):
        ACTIVE = "active", "Active"
        USED_UP = "used_up", "Used up"
        EXPIRED = "expired", "Expired"
        REFUNDED = "refunded", "Refunded"

    client = models.ForeignKey(
        "clients.Client", on_delete=models.PROTECT, related_name="client_packages"
    )
    package = models.ForeignKey(Package, on_delete=models.PROTECT, related_name="sold")
    # The snapshot: later changes to the catalogue never change a package already sold.
    name = models.CharField(max_length=120)
    sessions_total = models.PositiveIntegerField()
    price = models.DecimalField(max_digits=10, decimal_places=2)
    currency = models.CharField(max_length=3, choices=CURRENCY_CHOICES)
    # Empty: every service.
    services = models.ManyToManyField("scheduling.Service", blank=True, related_name="+")
    purchased_at = models.DateTimeField()
    # The last day (in the trainer's zone) a session may use a credit; None: never expires.
    expires_on = models.DateField(null=True, blank=True)
    refunded_at = models.DateTimeField(null=True, blank=True)
    # When the 7-day expiry notice was written to the outbox (once per package).
    expiry_notice_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-purchased_at", "-id"]
        indexes = [
            models.Index(fields=["trainer", "client"]),
            models.Index(fields=["trainer", "expires_on"]),
        ]

    def __str__(self) -> str:
        return f"{self.name} for {self.client}"


class LedgerEntry(TrainerOwned):
    """One change of a client package's credits. Rows are only ever added."""

    class Kind(models.TextChoices):
        GRANT = "grant", "Granted"
        RESERVE = "reserve", "Reserved"
        RELEASE = "release", "Released"
        CONSUME = "consume", "Used"
        FORFEIT = "forfeit", "Forfeited"
        EXPIRE = "expire", "Expired"
        ADJUST = "adjust", "Adjusted"

    client_package = models.ForeignKey(
        ClientPackage, on_delete=models.CASCADE, related_name="entries"
    )
    kind = models.CharField(max_length=8, choices=Kind.choices)
    sessions = models.IntegerField()
    booking = models.ForeignKey(
        "scheduling.Booking",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reason = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(fields=["client_package", "created_at"]),
            models.Index(fields=["trainer", "kind", "created_at"]),
            models.Index(fields=["booking"]),
        ]
        constraints = [
            # One reservation, and at most one outcome, per booking and package.
            models.UniqueConstraint(
                fields=["client_package", "booking", "kind"],
                condition=models.Q(booking__isnull=False),
                name="ledger_one_entry_of_a_kind_per_booking",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.sessions:+d} on {self.client_package_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise ValueError("Ledger entries are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise ValueError("Ledger entries are append-only.")


class PackageSettings(TrainerOwned):
    """The trainer's credit policy (one row per trainer, created on first read)."""

    late_cancel_forfeits = models.BooleanField(
        "late cancellation forfeits the credit",
        default=True,
        help_text="A cancellation inside your cancellation window spends the credit.",
    )
    no_show_forfeits = models.BooleanField(
        "no-show forfeits the credit",
        default=True,
        help_text="A session marked as a no-show spends the credit.",
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["trainer"], name="one_package_settings_per_trainer")
        ]

    def __str__(self) -> str:
        return f"Package settings of {self.trainer_id}"
