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
    # The zone the client last booked in (from the booking page); every message to them
    # shows times in it. Blank: their account's zone, else the trainer's.
    timezone = models.CharField(max_length=64, blank=True)
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
    # Answers to the trainer's intake fields, keyed by IntakeField.key (validated by kind).
    custom_fields = models.JSONField(default=dict, blank=True)
    tags: models.ManyToManyField[Tag, ClientTag] = models.ManyToManyField(
        "Tag", through="ClientTag", related_name="clients", blank=True
    )
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
    # The start of the last completed session and of the next booked one, kept by
    # clients.visits in the booking's own transaction: the list sorts 100,000 clients by an
    # indexed column instead of aggregating their bookings on every request.
    last_visit_at = models.DateTimeField(null=True, blank=True, editable=False)
    next_booking_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    archived_at = models.DateTimeField(null=True, blank=True)
    erased_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["last_name", "first_name", "id"]
        indexes = [
            models.Index(fields=["trainer", "status", "last_name", "first_name"]),
            models.Index(fields=["trainer", "email"]),
            # The list's default order: walks the index, stops at the page's end.
            models.Index(
                fields=["trainer", "last_name", "first_name", "id"], name="client_trainer_name_idx"
            ),
            # With PostgreSQL's (trainer, last_visit_at DESC NULLS LAST, id) from migration
            # 0008 ("last seen first"; SQLite cannot order NULLS LAST in an index).
            models.Index(fields=["trainer", "last_visit_at", "id"], name="client_last_visit_idx"),
            models.Index(
                fields=["trainer", "next_booking_at", "id"], name="client_next_booking_idx"
            ),
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()


class Tag(TrainerOwned):
    """A label a trainer gives clients ("VIP", "often cancels", "referral: gym")."""

    name = models.CharField(max_length=50)
    color = models.CharField(max_length=7, default="#64748b")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["trainer", "name"], name="one_tag_name_per_trainer"),
        ]

    def __str__(self) -> str:
        return self.name


class IntakeField(TrainerOwned):
    """A trainer-defined question filled per client; also drives the portal's intake form."""

    class Kind(models.TextChoices):
        TEXT = "text", "Text"
        NUMBER = "number", "Number"
        CHOICE = "choice", "Choice"
        YESNO = "yesno", "Yes / no"
        DATE = "date", "Date"

    key = models.SlugField(max_length=50)
    label = models.CharField(max_length=120)
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.TEXT)
    # For kind=choice: the allowed answers.
    choices = models.JSONField(default=list, blank=True)
    required = models.BooleanField(default=False)
    on_booking_form = models.BooleanField(default=False)
    order = models.PositiveIntegerField(default=0)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["trainer", "key"], name="one_intake_key_per_trainer"),
        ]

    def __str__(self) -> str:
        return self.label


class ClientTag(TrainerOwned):
    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="client_tags")
    tag = models.ForeignKey(Tag, on_delete=models.CASCADE, related_name="client_tags")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["client", "tag"], name="one_client_tag"),
        ]


class Note(TrainerOwned):
    """A dated note about a client, optionally about one session."""

    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="notes")
    booking = models.ForeignKey(
        "scheduling.Booking", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    body = models.TextField(max_length=20000)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]


class NoteRevision(TrainerOwned):
    """The text a note had before an edit: the edit history."""

    note = models.ForeignKey(Note, on_delete=models.CASCADE, related_name="revisions")
    body = models.TextField(max_length=20000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]


def client_file_path(instance: ClientFile, filename: str) -> str:
    # A random name: the original one is kept in `name` and never trusted for paths.
    import secrets

    return f"clients/{instance.trainer_id}/{instance.client_id}/{secrets.token_hex(16)}"


class ClientFile(TrainerOwned):
    """An attachment (intake form, PDF, image); served only through the owner's view."""

    class Kind(models.TextChoices):
        ATTACHMENT = "attachment", "Attachment"
        PHOTO = "photo", "Photo"

    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="files")
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.ATTACHMENT)
    file = models.FileField(upload_to=client_file_path, max_length=255)
    name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.name


class ErasureRecord(TrainerOwned):
    """That a client's personal data was erased, and how many rows each holder changed: the
    trainer's proof of a privacy request answered. It holds no personal data itself (the
    client's id only, which names nobody once the record is anonymous)."""

    client_pk = models.PositiveBigIntegerField()
    erased_at = models.DateTimeField()
    # {"clients.Client": 1, "notifications.Notification": 5, ...}: rows touched per holder.
    counts = models.JSONField(default=dict)

    class Meta:
        ordering = ["-erased_at", "-id"]


class ClientImport(TrainerOwned):
    """A confirmed CSV import, run by the background worker in short batches (one short
    write transaction each, so other trainers' writes never wait long on SQLite's lock) with
    its progress for the import page. The rows are the preview's valid rows; they are cleared
    once the import has finished, so no copy of the clients' details outlives it."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Waiting to start"
        RUNNING = "running", "Importing"
        DONE = "done", "Done"
        FAILED = "failed", "Failed"

    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    rows = models.JSONField(default=list)
    total = models.PositiveIntegerField(default=0)
    processed = models.PositiveIntegerField(default=0)
    created_count = models.PositiveIntegerField(default=0)
    skipped_count = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)
    # The worker's claim: a worker silent past lease_until is presumed dead; another resumes
    # from `processed` (each batch commits its rows and its progress together).
    claim = models.CharField(max_length=32, blank=True)
    lease_until = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["status", "created_at"], name="clientimport_due")]

    def __str__(self) -> str:
        return f"import {self.pk} ({self.status}, {self.processed}/{self.total})"

    @property
    def percent(self) -> int:
        return 100 if not self.total else min(100, self.processed * 100 // self.total)
