"""A trainer's webhook endpoints and the deliveries written for them.

A delivery is written in the transaction of the change it tells (core/events.py handlers),
with its JSON body frozen then; the worker sends it later (webhooks/delivery.py)."""

from __future__ import annotations

import uuid

from django.db import models
from django.utils import timezone

from trainerhub.core.crypto import EncryptedTextField
from trainerhub.core.tenancy import TrainerOwned

# What a trainer can subscribe to; every name is a domain event of core/events.py.
EVENTS = (
    "booking.created",
    "booking.confirmed",
    "booking.cancelled",
    "booking.rescheduled",
    "booking.completed",
    "booking.no_show",
    "client.created",
    "client.updated",
    "payment.received",
    "invoice.issued",
    "contract.signed",
)
TEST_EVENT = "webhook.test"


class Endpoint(TrainerOwned):
    url = models.URLField("URL", max_length=500)
    description = models.CharField(max_length=200, blank=True)
    # A list of names from EVENTS.
    events = models.JSONField(default=list)
    # The HMAC key of the signature header. Encrypted at rest (core/crypto.py), shown once.
    secret = EncryptedTextField()
    enabled = models.BooleanField(default=True)
    # Failed attempts in a row (any delivery); a success resets it, DISABLE_AFTER disables.
    failure_count = models.PositiveIntegerField(default=0)
    disabled_at = models.DateTimeField(null=True, blank=True)
    disabled_reason = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["trainer", "enabled"], name="webhook_endpoint_live")]

    def __str__(self) -> str:
        return self.url


class Delivery(TrainerOwned):
    class Status(models.TextChoices):
        PENDING = "pending", "Waiting to be sent"
        DELIVERED = "delivered", "Delivered"
        FAILED = "failed", "Gave up"

    endpoint = models.ForeignKey(Endpoint, on_delete=models.CASCADE, related_name="deliveries")
    event = models.CharField(max_length=40)
    # The id receivers deduplicate on; the same in every attempt.
    event_id = models.UUIDField(default=uuid.uuid4, editable=False)
    # The whole JSON body as sent ("version", "id", "type", "created", "data").
    payload = models.JSONField()
    # The client the event is about, if any: the privacy erase scrubs their payloads.
    client_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    # One entry per attempt: {"at": iso, "status_code": int | None, "error": str, "ms": int}.
    responses = models.JSONField(default=list)
    last_status_code = models.PositiveIntegerField(null=True, blank=True)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    # A worker's claim: while in the future, no other worker sends this row.
    claimed_until = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="webhook_delivery_due"),
            models.Index(fields=["endpoint", "-created_at"], name="webhook_delivery_log"),
        ]

    def __str__(self) -> str:
        return f"{self.event} → {self.endpoint_id} ({self.status})"
