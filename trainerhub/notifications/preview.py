"""Preview of every message with sample data, so the trainer sees what clients receive."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

from csp.constants import UNSAFE_INLINE
from csp.decorators import csp_replace
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from trainerhub.accounts.decorators import trainer_required
from trainerhub.clients.models import Client
from trainerhub.notifications.forms import KIND_ORDER
from trainerhub.notifications.messages import build_context, render_parts
from trainerhub.notifications.models import CLIENT_KINDS, Channel, Kind, Notification
from trainerhub.scheduling.models import Booking, Service

SAMPLE_CONTEXT: dict[str, dict[str, Any]] = {
    Kind.BOOKING_CANCELLED: {"actor": "client", "reason": "Feeling unwell", "late": False},
    Kind.TRAINER_CLIENT_CANCELLED: {"actor": "client", "reason": "Feeling unwell", "late": True},
    Kind.REQUEST_DECLINED: {"actor": "trainer", "message": "I am away that week, sorry!"},
    Kind.PACKAGE_EXPIRING: {
        "package": "Ten sessions",
        "left": 3,
        "expires": "Tuesday 31 March 2026",
    },
    Kind.PROGRAM_ASSIGNED: {
        "program": "Strength foundations",
        "start_date": "2026-12-07",
        "url": "https://example.com/coaching/c/sample/",
    },
    Kind.PROGRAM_CHANGED: {
        "program": "Strength foundations",
        "url": "https://example.com/coaching/c/sample/",
    },
    Kind.CHECK_IN: {
        "last_session": "Tuesday 3 November 2026",
        "book_url": "https://example.com/book/sample/",
    },
    Kind.CONTRACT_REQUEST: {
        "title": "Liability waiver",
        "sign_url": "https://example.com/contracts/sign/sample/",
        "expires": "Monday 14 December 2026",
    },
}

# What the app that owns a document adds to its message (notifications.documents), for a
# sample that points at no real invoice.
_SAMPLE_INVOICE = {
    "number": "2026-0042",
    "is_credit_note": False,
    "total": "£120.00",
    "due_on": "2026-12-16",
    "outstanding": "£120.00",
    "url": "https://example.com/billing/my/invoices/sample/",
}
_SAMPLE_RECEIPT = {
    "number": "R2026-0007",
    "amount": "20.00 GBP",
    "what": "Personal training, 2026-12-16 09:00 UTC",
}
SAMPLE_DOCUMENTS: dict[str, dict[str, Any]] = {
    Kind.INVOICE_SENT: {"invoice": _SAMPLE_INVOICE, "unsubscribe_url": ""},
    Kind.INVOICE_OVERDUE: {"invoice": _SAMPLE_INVOICE, "unsubscribe_url": ""},
    Kind.PAYMENT_RECEIPT: {
        "receipt": {**_SAMPLE_RECEIPT, "is_refund": False},
        "unsubscribe_url": "",
    },
    Kind.REFUND_RECEIPT: {"receipt": {**_SAMPLE_RECEIPT, "is_refund": True}, "unsubscribe_url": ""},
}


def sample_row(trainer, kind: str) -> Notification:
    """An unsaved row about an unsaved booking: rendering needs no database writes."""
    start = (timezone.now() + timedelta(days=2)).replace(minute=0, second=0, microsecond=0)
    service = Service(trainer=trainer, name="Personal training", duration_minutes=60)
    client = Client(trainer=trainer, first_name="Sam", last_name="Sample", email="sam@example.com")
    client.pk = 0
    booking = Booking(
        trainer=trainer,
        client=client,
        service=service,
        start=start,
        end=start + timedelta(hours=1),
        location="Studio 1",
        price=Decimal("50.00"),
        manage_token="sample-token",  # noqa: S106 (sample data, not a secret)
    )
    context = dict(SAMPLE_CONTEXT.get(kind, {}))
    if kind in (Kind.BOOKING_RESCHEDULED, Kind.TRAINER_CLIENT_RESCHEDULED):
        context.update(actor="client", old_start=(start - timedelta(days=1)).isoformat())
    if kind == Kind.TRAINER_DAILY_AGENDA:
        context["date"] = timezone.localdate().isoformat()
    if kind in (Kind.SERIES_BOOKED, Kind.SERIES_CANCELLED):
        dates = [start + timedelta(weeks=k) for k in range(4)]
        context.update(actor="trainer", every_weeks=1)
        context["dates"] = [{"start": d.isoformat(), "end": d.isoformat()} for d in dates]
        if kind == Kind.SERIES_BOOKED:
            skipped = start + timedelta(weeks=4)
            context["skipped"] = [
                {"start": skipped.isoformat(), "detail": "The trainer is away at this time."}
            ]
    is_client = kind in CLIENT_KINDS
    return Notification(
        trainer=trainer,
        kind=kind,
        channel=Channel.EMAIL,
        recipient=Notification.Recipient.CLIENT if is_client else Notification.Recipient.TRAINER,
        booking=None if kind in (Kind.WELCOME, Kind.TRAINER_DAILY_AGENDA) else booking,
        client=client if is_client or kind not in (Kind.WELCOME,) else None,
        offset_minutes=120 if kind == Kind.REMINDER else 0,
        context=context,
    )


# The email is shown as the client's mail program would, in a sandboxed frame (no scripts)
# that inherits this page's Content-Security-Policy: emails need their style="" attributes.
@csp_replace({"style-src-attr": [UNSAFE_INLINE]})
@trainer_required
def preview(request: HttpRequest, kind: str = "") -> HttpResponse:
    kinds = [*KIND_ORDER, Kind.WELCOME]
    # ?kind= is what the picker sends without JavaScript.
    kind = kind or request.GET.get("kind", "") or kinds[0]
    if kind not in kinds:
        raise Http404
    context = build_context(sample_row(request.user, kind))
    context.update(SAMPLE_DOCUMENTS.get(kind, {}))
    subject, text, html = render_parts(kind, context)
    page = {
        "kinds": [(k, Kind(k).label) for k in kinds],
        "current": kind,
        "subject": subject,
        "text": text,
        "html": html,
    }
    return render(request, "notifications/preview.html", page)
