"""The money ledger: payments (and refunds), invoices with their lines, the trainer's
business details for invoices.

Append-only: a payment is never edited or deleted; a refund is another payment of negative
amount that names the payment it gives back. Balances and every payment status are derived
from the sums of these rows (billing/selectors.py), never stored. An issued invoice is never
edited or deleted either: voiding it issues a credit note, with its own number in the same
series (numbers come from a locked counter row, django-sequences, in the issuing transaction).
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from trainerhub.core.crypto import EncryptedTextField
from trainerhub.core.currencies import CURRENCY_CHOICES
from trainerhub.core.tenancy import TrainerOwned

HUNDRED = Decimal("100")
# The largest amount one payment or one invoice line may carry: anything above is a typo.
MAX_AMOUNT = Decimal("1000000")


class BusinessDetails(TrainerOwned):
    """What a trainer's invoices say about the business (one row per trainer)."""

    class Paper(models.TextChoices):
        A4 = "a4", "A4"
        LETTER = "letter", "US Letter"

    legal_name = models.CharField(max_length=200, blank=True)
    address = models.TextField(max_length=1000, blank=True)
    tax_id = models.CharField("tax id / VAT number", max_length=64, blank=True)
    default_tax_rate = models.DecimalField(
        "default tax rate (%)",
        max_digits=5,
        decimal_places=2,
        default=Decimal("0"),
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    prices_include_tax = models.BooleanField(
        "prices are entered gross (tax included)",
        default=True,
    )
    payment_terms_days = models.PositiveSmallIntegerField(
        default=14, validators=[MaxValueValidator(365)]
    )
    number_prefix = models.CharField(
        max_length=12,
        blank=True,
        help_text='Printed before the year: "INV-" gives INV-2026-0042.',
    )
    footer = models.TextField(max_length=1000, blank=True)
    logo = models.ImageField(upload_to="billing/logos/", blank=True)
    paper = models.CharField(max_length=6, choices=Paper.choices, default=Paper.A4)
    # Days after the due date the client is reminded of an unpaid invoice; null: never.
    overdue_reminder_days = models.PositiveSmallIntegerField(
        null=True, blank=True, default=7, validators=[MaxValueValidator(365)]
    )
    updated_at = models.DateTimeField(auto_now=True)

    EDITABLE_FIELDS = (
        "legal_name",
        "address",
        "tax_id",
        "default_tax_rate",
        "prices_include_tax",
        "payment_terms_days",
        "number_prefix",
        "footer",
        "logo",
        "paper",
        "overdue_reminder_days",
    )

    class Meta:
        constraints = [models.UniqueConstraint(fields=["trainer"], name="one_business_details")]


class Invoice(TrainerOwned):
    class Kind(models.TextChoices):
        INVOICE = "invoice", "Invoice"
        CREDIT_NOTE = "credit_note", "Credit note"

    class State(models.TextChoices):
        # What is stored; "paid" and "partially_paid" are derived from the payments.
        DRAFT = "draft", "Draft"
        ISSUED = "issued", "Issued"
        VOID = "void", "Void"

    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.INVOICE)
    state = models.CharField(max_length=8, choices=State.choices, default=State.DRAFT)
    client = models.ForeignKey("clients.Client", on_delete=models.PROTECT, related_name="+")
    currency = models.CharField(max_length=3, choices=CURRENCY_CHOICES)
    prices_include_tax = models.BooleanField(default=True)
    # Given when issued: "<prefix><year>-<sequence:04>", unique per trainer.
    number = models.CharField(max_length=32, blank=True)
    year = models.PositiveSmallIntegerField(null=True, blank=True)
    sequence = models.PositiveIntegerField(null=True, blank=True)
    issued_on = models.DateField(null=True, blank=True)
    due_on = models.DateField(null=True, blank=True)
    # Totals of the lines, kept with them by the services (drafts) and frozen at issue.
    subtotal = models.DecimalField(max_digits=12, decimal_places=2, default=Decimal("0"))
    tax_total = models.DecimalField(max_digits=12, decimal_places=2, default=Decimal("0"))
    total = models.DecimalField(max_digits=12, decimal_places=2, default=Decimal("0"))
    # Who issued it to whom, as of issuing: later edits of either never change the paper.
    seller = models.JSONField(default=dict, blank=True)
    buyer = models.JSONField(default=dict, blank=True)
    notes = models.TextField(max_length=2000, blank=True)
    credit_note_for = models.OneToOneField(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="credit_note",
    )
    voided_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["trainer", "number"],
                condition=~Q(number=""),
                name="invoice_number_unique_per_trainer",
            ),
            models.UniqueConstraint(
                fields=["trainer", "year", "sequence"],
                condition=Q(sequence__isnull=False),
                name="invoice_sequence_unique_per_trainer_year",
            ),
        ]
        indexes = [
            models.Index(fields=["trainer", "state", "due_on"]),
            models.Index(fields=["trainer", "client"]),
        ]

    def __str__(self) -> str:
        return self.number or f"Draft {self.pk}"

    @property
    def is_draft(self) -> bool:
        return self.state == self.State.DRAFT


class InvoiceLine(TrainerOwned):
    invoice = models.ForeignKey(Invoice, on_delete=models.CASCADE, related_name="lines")
    position = models.PositiveSmallIntegerField(default=0)
    description = models.CharField(max_length=300)
    quantity = models.DecimalField(max_digits=8, decimal_places=2)
    unit_price = models.DecimalField(max_digits=12, decimal_places=2)
    tax_rate = models.DecimalField(
        max_digits=5,
        decimal_places=2,
        default=Decimal("0"),
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    # What the line bills, when it bills a session or a package (else a free line).
    booking = models.ForeignKey(
        "scheduling.Booking", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    client_package = models.ForeignKey(
        "packages.ClientPackage", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    net = models.DecimalField(max_digits=12, decimal_places=2, default=Decimal("0"))
    tax = models.DecimalField(max_digits=12, decimal_places=2, default=Decimal("0"))
    gross = models.DecimalField(max_digits=12, decimal_places=2, default=Decimal("0"))

    class Meta:
        ordering = ["position", "id"]
        indexes = [models.Index(fields=["booking"])]


class Payment(TrainerOwned):
    """Money received from a client (amount > 0), or given back (a refund, amount < 0)."""

    class Method(models.TextChoices):
        CASH = "cash", "Cash"
        BANK_TRANSFER = "bank_transfer", "Bank transfer"
        CARD_TERMINAL = "card_terminal", "Card terminal"
        ONLINE = "online", "Online"
        OTHER = "other", "Other"

    client = models.ForeignKey("clients.Client", on_delete=models.PROTECT, related_name="+")
    # What it pays for: exactly one of these three (a refund names its payment's).
    booking = models.ForeignKey(
        "scheduling.Booking", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    client_package = models.ForeignKey(
        "packages.ClientPackage", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    invoice = models.ForeignKey(
        Invoice, null=True, blank=True, on_delete=models.PROTECT, related_name="payments"
    )
    refund_of = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="refunds"
    )
    amount = models.DecimalField(max_digits=12, decimal_places=2)
    currency = models.CharField(max_length=3, choices=CURRENCY_CHOICES)
    method = models.CharField(max_length=14, choices=Method.choices)
    paid_at = models.DateTimeField()
    note = models.CharField(max_length=500, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Stripe's id of the money (a PaymentIntent, or a Refund): unique per trainer, so a
    # payment or refund told twice (webhook and return page, a replay) is recorded once.
    external_id = models.CharField(max_length=255, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-paid_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["trainer", "external_id"],
                condition=~Q(external_id=""),
                name="payment_external_id_once",
            ),
            models.CheckConstraint(
                condition=(
                    Q(booking__isnull=False, client_package__isnull=True, invoice__isnull=True)
                    | Q(booking__isnull=True, client_package__isnull=False, invoice__isnull=True)
                    | Q(booking__isnull=True, client_package__isnull=True, invoice__isnull=False)
                ),
                name="payment_pays_for_exactly_one",
            ),
            models.CheckConstraint(
                condition=Q(refund_of__isnull=True, amount__gt=0)
                | Q(refund_of__isnull=False, amount__lt=0),
                name="payment_positive_refund_negative",
            ),
        ]
        indexes = [
            models.Index(fields=["trainer", "paid_at"]),
            models.Index(fields=["trainer", "client"]),
            models.Index(fields=["booking"]),
            models.Index(fields=["trainer", "client_package"]),
        ]

    def __str__(self) -> str:
        return f"{self.amount} {self.currency} ({self.method})"

    @property
    def is_refund(self) -> bool:
        return self.refund_of_id is not None

    @property
    def target_label(self) -> str:
        if self.booking_id:
            return "session"
        if self.invoice_id:
            return "invoice"
        return "package"


# --- Online payments with Stripe (billing/online.py, billing/stripe_gateway.py) ---------------


class StripeAccount(TrainerOwned):
    """A trainer's own Stripe account (their secret key and webhook signing secret) and
    their refund policy. Without one, online payment is simply not offered."""

    # Encrypted at rest (core/crypto.py); never shown back in full, never logged.
    secret_key = EncryptedTextField()
    webhook_secret = EncryptedTextField()
    # How long a booking is held while the client pays (Stripe's Checkout allows 30 min-24 h).
    hold_minutes = models.PositiveSmallIntegerField(
        default=30, validators=[MinValueValidator(30), MaxValueValidator(1440)]
    )
    # Refunds by policy when an online-paid booking is cancelled: in time (outside the
    # free-cancellation window) everything comes back, except a deposit that is not
    # refundable; late, this percentage of what was paid.
    late_refund_percent = models.PositiveSmallIntegerField(
        default=0, validators=[MaxValueValidator(100)]
    )
    deposit_refundable = models.BooleanField(default=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["trainer"], name="one_stripe_account")]

    @property
    def live(self) -> bool:
        return "_live_" in (self.secret_key or "")


class OnlinePayment(TrainerOwned):
    """One request for money online: a Stripe Checkout Session for a booking (its total or
    deposit) or a client package. Its id is the session's `client_reference_id`; the money
    itself, once it arrives, is a `Payment` (method online) that this row points at."""

    class State(models.TextChoices):
        OPEN = "open", "Waiting for the client"
        PAID = "paid", "Paid"
        EXPIRED = "expired", "Expired"
        FAILED = "failed", "Could not start"

    client = models.ForeignKey("clients.Client", on_delete=models.PROTECT, related_name="+")
    booking = models.ForeignKey(
        "scheduling.Booking", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    client_package = models.ForeignKey(
        "packages.ClientPackage", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # The catalogue package a client buys from the portal (the ClientPackage is made when
    # the money arrives).
    package = models.ForeignKey(
        "packages.Package", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    amount = models.DecimalField(max_digits=12, decimal_places=2)
    currency = models.CharField(max_length=3, choices=CURRENCY_CHOICES)
    state = models.CharField(max_length=8, choices=State.choices, default=State.OPEN)
    session_id = models.CharField(max_length=255, blank=True)
    checkout_url = models.URLField(max_length=2000, blank=True)
    payment_intent = models.CharField(max_length=255, blank=True)
    payment = models.OneToOneField(
        Payment, null=True, blank=True, on_delete=models.PROTECT, related_name="online"
    )
    hold_until = models.DateTimeField()
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["trainer", "session_id"],
                condition=~Q(session_id=""),
                name="online_payment_session_unique",
            ),
        ]
        indexes = [
            models.Index(fields=["state", "hold_until"]),
            models.Index(fields=["booking"]),
            models.Index(fields=["trainer", "payment_intent"]),
        ]


class StripeEvent(TrainerOwned):
    """Each webhook event once: its id under a unique constraint, stored and acted on in
    one transaction, so a replay or a duplicate changes nothing. An event that cannot be
    acted on yet (a refund of a payment not seen yet) waits, unprocessed, for the worker."""

    event_id = models.CharField(max_length=255)
    type = models.CharField(max_length=100)
    payload = models.JSONField(default=dict)
    received_at = models.DateTimeField(auto_now_add=True)
    processed_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["trainer", "event_id"], name="stripe_event_once"),
        ]
        indexes = [models.Index(fields=["processed_at", "received_at"])]


class RefundRequest(TrainerOwned):
    """A refund to be issued through Stripe: written in the transaction that decides it
    (a cancellation by policy, the trainer's refund), sent by the worker with one fixed
    Idempotency-Key however often it is retried, so Stripe refunds it once."""

    class State(models.TextChoices):
        PENDING = "pending", "Pending"
        DONE = "done", "Refunded"
        FAILED = "failed", "Failed"

    online = models.ForeignKey(OnlinePayment, on_delete=models.PROTECT, related_name="refunds")
    amount = models.DecimalField(max_digits=12, decimal_places=2)
    reason = models.CharField(max_length=200, blank=True)
    state = models.CharField(max_length=8, choices=State.choices, default=State.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField()
    last_error = models.CharField(max_length=500, blank=True)
    stripe_refund_id = models.CharField(max_length=255, blank=True)
    refund = models.OneToOneField(
        Payment, null=True, blank=True, on_delete=models.PROTECT, related_name="refund_request"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["state", "next_attempt_at"])]


class Receipt(TrainerOwned):
    """The receipt of one payment or refund received online: numbered per trainer and year
    in its own series (`R<year>-<sequence:04>`, from a counter row locked in the recording
    transaction, like invoices), emailed once with its PDF through the outbox."""

    payment = models.OneToOneField(Payment, on_delete=models.PROTECT, related_name="receipt")
    number = models.CharField(max_length=32)
    year = models.PositiveSmallIntegerField()
    sequence = models.PositiveIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["trainer", "number"], name="receipt_number_unique"),
        ]
