"""Background work of billing, run by the worker's tick and Celery beat (core/periodic.py).

Overdue reminders: an issued invoice still open `overdue_reminder_days` after its due date
gets one reminder email through the outbox. Idempotent and safe with two workers: the outbox
row's key (trainer, kind, channel, "invoice-overdue:<id>") is unique, so a second pass, or a
second worker racing the first, writes nothing.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from trainerhub.billing import selectors
from trainerhub.billing.models import BusinessDetails, Invoice
from trainerhub.notifications import outbox
from trainerhub.notifications.models import Kind

EVERY = timedelta(minutes=15)


def overdue_reminders(*, now: datetime | None = None) -> int:
    now = now or timezone.now()
    today = now.date()
    written = 0
    settings_by_trainer: dict[int, int] = {
        d.trainer_id: int(d.overdue_reminder_days)
        for d in BusinessDetails.objects.filter(overdue_reminder_days__isnull=False)
        if d.overdue_reminder_days is not None
    }
    if not settings_by_trainer:
        return 0
    longest = max(settings_by_trainer.values())
    shortest = min(settings_by_trainer.values())
    candidates = selectors._with_paid(
        Invoice.objects.filter(
            trainer_id__in=list(settings_by_trainer),
            state=Invoice.State.ISSUED,
            kind=Invoice.Kind.INVOICE,
            due_on__lte=today - timedelta(days=shortest),
            # Older than a year past the longest setting: let it be, it is a collection case.
            due_on__gte=today - timedelta(days=longest + 365),
        ).select_related("client", "trainer")
    )
    for invoice in candidates:
        days = settings_by_trainer[invoice.trainer_id]
        if invoice.due_on is None or invoice.due_on + timedelta(days=days) > today:
            continue
        if selectors.invoice_outstanding(invoice) <= 0 or not invoice.client.email:
            continue
        with transaction.atomic():
            _, created = outbox.to_client_email(
                trainer=invoice.trainer,
                client=invoice.client,
                kind=Kind.INVOICE_OVERDUE,
                dedupe=f"invoice-overdue:{invoice.pk}",
                context={"invoice": invoice.pk},
            )
        written += int(created)
    return written


# --- Online payments (Stripe) ---------------------------------------------------------------
# Holds past their time are closed and released, refunds Stripe could not take are sent
# again (with backoff, the same Idempotency-Key), events that had to wait are acted on.
STRIPE_EVERY = timedelta(minutes=1)


def stripe_holds(*, now: datetime | None = None) -> int:
    from trainerhub.billing import online

    return online.holds_expire(now=now)


def stripe_refunds(*, now: datetime | None = None) -> int:
    from trainerhub.billing import refunds

    return refunds.refunds_due(now=now)


def stripe_events(*, now: datetime | None = None) -> int:
    from trainerhub.billing import online

    return online.events_retry()
