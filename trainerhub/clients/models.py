"""The client record of a trainer's CRM."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from trainerhub.core.tenancy import TrainerOwned


class Client(TrainerOwned):
    class Status(models.TextChoices):
        ACTIVE = "active", "Active"
        INACTIVE = "inactive", "Inactive"
        ARCHIVED = "archived", "Archived"

    class Channel(models.TextChoices):
        EMAIL = "email", "Email"
        SMS = "sms", "SMS"
        TELEGRAM = "telegram", "Telegram"
        PHONE = "phone", "Phone call"

    first_name = models.CharField(max_length=100)
    last_name = models.CharField(max_length=100, blank=True)
    email = models.EmailField(max_length=254, blank=True)
    phone = models.CharField(max_length=32, blank=True)
    preferred_channel = models.CharField(
        max_length=10, choices=Channel.choices, default=Channel.EMAIL
    )
    date_of_birth = models.DateField(null=True, blank=True)
    address = models.TextField(max_length=500, blank=True)
    emergency_contact_name = models.CharField(max_length=150, blank=True)
    emergency_contact_phone = models.CharField(max_length=32, blank=True)
    emergency_contact_relation = models.CharField(max_length=60, blank=True)
    goals = models.TextField(max_length=5000, blank=True)
    level = models.CharField("fitness or experience level", max_length=100, blank=True)
    # Sensitive: shown only to the owning trainer, never in lists, exports or logs.
    health_notes = models.TextField("medical history / health notes", max_length=10000, blank=True)
    preferences = models.TextField(max_length=2000, blank=True)
    referral_source = models.CharField(max_length=150, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ACTIVE)
    # The portal login of this client, once they create one.
    account = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="client_records",
    )
    # Lowercased, accent-free "name email phone" kept up to date by the services, so one
    # indexed column answers case- and accent-insensitive search on SQLite and PostgreSQL.
    search_text = models.TextField(blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    archived_at = models.DateTimeField(null=True, blank=True)
    erased_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["last_name", "first_name", "id"]
        indexes = [
            models.Index(fields=["trainer", "status", "last_name", "first_name"]),
            models.Index(fields=["trainer", "email"]),
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()
