"""Contracts and intake forms signed electronically.

A `ContractTemplate` is the trainer's document (sanitised rich text with merge fields, or an
uploaded PDF) with optional fill-in fields and who signs. A `Contract` is one copy of it sent
to one client (optionally for one booking): on send its document is frozen (merge fields
filled in) and hashed, so a later edit of the template changes nothing already sent. Each
`Signature` keeps the drawn image and its stroke points, or the typed name. Every step is a
`ContractEvent`, append-only and hash-chained (each row stores the hash of the previous one),
and the completed contract's PDF is kept with its SHA-256 and a PAdES seal (sealing.py).
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils import timezone

from trainerhub.core.tenancy import TrainerOwned


class Signers(models.TextChoices):
    CLIENT = "client", "The client"
    CLIENT_TRAINER = "client_trainer", "The client, then you"


class ContractTemplate(TrainerOwned):
    class Requirement(models.TextChoices):
        EVERY_BOOKING = "every_booking", "Every booking of these services"
        ONCE_PER_CLIENT = "once_per_client", "Once per client (before their first session)"

    name = models.CharField(max_length=150)
    # Sanitised HTML (nh3) with merge fields such as {{ client.first_name }}; empty for an
    # uploaded PDF template.
    body = models.TextField(max_length=100_000, blank=True)
    # The signer's fill-in fields: [{"key", "kind", "label", "required"}] (see fields.py).
    fields = models.JSONField(default=list, blank=True)
    signers = models.CharField(max_length=16, choices=Signers.choices, default=Signers.CLIENT)
    # An uploaded PDF instead of a body: the signature is stamped on `stamp_page` (1 = the
    # first, 0 = the last) at `stamp_x_mm`/`stamp_y_mm` from the page's top-left corner.
    pdf = models.BinaryField(null=True, blank=True, editable=False)
    pdf_name = models.CharField(max_length=200, blank=True)
    stamp_page = models.PositiveSmallIntegerField(default=0)
    stamp_x_mm = models.PositiveSmallIntegerField(default=20)
    stamp_y_mm = models.PositiveSmallIntegerField(default=240)
    # Sent automatically when one of these services is booked (public page or trainer).
    services = models.ManyToManyField("scheduling.Service", blank=True, related_name="+")
    required_when = models.CharField(
        max_length=16, choices=Requirement.choices, default=Requirement.EVERY_BOOKING
    )
    expires_days = models.PositiveSmallIntegerField(default=14)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_pdf(self) -> bool:
        return bool(self.pdf)


class Contract(TrainerOwned):
    class Status(models.TextChoices):
        DRAFT = "draft", "Not sent"
        SENT = "sent", "Sent"
        VIEWED = "viewed", "Viewed"
        SIGNED = "signed", "Signed by the client, waiting for your signature"
        COMPLETED = "completed", "Signed"
        DECLINED = "declined", "Declined"
        VOIDED = "voided", "Voided"

    # Shown, never stored: a sent or viewed contract past its link's expiry.
    EXPIRED = "expired"
    OPEN_STATUSES = (Status.SENT, Status.VIEWED)

    template = models.ForeignKey(
        ContractTemplate, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    client = models.ForeignKey("clients.Client", on_delete=models.CASCADE, related_name="+")
    booking = models.ForeignKey(
        "scheduling.Booking", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    title = models.CharField(max_length=150)
    signers = models.CharField(max_length=16, choices=Signers.choices, default=Signers.CLIENT)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    # Frozen on send: the document as the client reads it and its SHA-256 (of the UTF-8
    # HTML, or of the PDF's bytes for an uploaded PDF), the merge values, the fields.
    document_html = models.TextField(blank=True)
    document_pdf = models.BinaryField(null=True, blank=True, editable=False)
    document_sha256 = models.CharField(max_length=64, blank=True)
    merge_values = models.JSONField(default=dict, blank=True)
    fields = models.JSONField(default=list, blank=True)
    stamp = models.JSONField(default=dict, blank=True)
    # Why the last send did not happen (an automatic send with an unresolved field).
    last_error = models.CharField(max_length=300, blank=True)
    # The private signing link: a long random token, valid until expires_at.
    token = models.CharField(max_length=64, unique=True, null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    sent_to = models.EmailField(max_length=254, blank=True)
    send_count = models.PositiveSmallIntegerField(default=0)
    sent_at = models.DateTimeField(null=True, blank=True)
    viewed_at = models.DateTimeField(null=True, blank=True)
    field_values = models.JSONField(default=dict, blank=True)
    signed_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    declined_at = models.DateTimeField(null=True, blank=True)
    decline_reason = models.TextField(max_length=2000, blank=True)
    voided_at = models.DateTimeField(null=True, blank=True)
    void_reason = models.TextField(max_length=2000, blank=True)
    final_pdf = models.BinaryField(null=True, blank=True, editable=False)
    final_sha256 = models.CharField(max_length=64, blank=True, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["trainer", "client", "created_at"]),
            models.Index(fields=["trainer", "booking"]),
            models.Index(fields=["trainer", "status"]),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_expired(self) -> bool:
        return (
            self.status in self.OPEN_STATUSES
            and self.expires_at is not None
            and self.expires_at <= timezone.now()
        )

    @property
    def shown_status(self) -> str:
        return self.EXPIRED if self.is_expired else self.status

    @property
    def shown_status_label(self) -> str:
        return "Expired" if self.is_expired else self.get_status_display()

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES and not self.is_expired


class Signature(TrainerOwned):
    class Role(models.TextChoices):
        CLIENT = "client", "Client"
        TRAINER = "trainer", "Trainer"

    class Kind(models.TextChoices):
        DRAWN = "drawn", "Drawn"
        TYPED = "typed", "Typed"

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="signatures")
    role = models.CharField(max_length=10, choices=Role.choices)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    typed_name = models.CharField(max_length=150, blank=True)
    # signature_pad's toData(): the strokes with their points (x, y, time, pressure).
    points = models.JSONField(default=list, blank=True)
    png = models.BinaryField(null=True, blank=True, editable=False)
    signed_at = models.DateTimeField()

    class Meta:
        ordering = ["signed_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["contract", "role"], name="one_signature_per_role"),
        ]


class ContractEvent(TrainerOwned):
    """One step of a contract's evidence trail; written once, never changed."""

    class Kind(models.TextChoices):
        CREATED = "created", "Created"
        SENT = "sent", "Sent"
        VIEWED = "viewed", "Viewed"
        CONSENT = "consent", "Consent to sign electronically given"
        SIGNED = "signed", "Signed"
        DECLINED = "declined", "Declined"
        VOIDED = "voided", "Voided"
        COMPLETED = "completed", "Completed"

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="events")
    seq = models.PositiveIntegerField()
    kind = models.CharField(max_length=12, choices=Kind.choices)
    at = models.DateTimeField()
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=500, blank=True)
    # How the person acting was identified ("the private link emailed to ...").
    identified_by = models.CharField(max_length=300, blank=True)
    data = models.JSONField(default=dict, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    class Meta:
        ordering = ["contract", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["contract", "seq"], name="contract_event_seq_unique"),
        ]

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise ValueError("Contract events are append-only.")
        super().save(*args, **kwargs)
