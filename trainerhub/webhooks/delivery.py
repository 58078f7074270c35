"""Sending deliveries: the worker's periodic job (core/periodic.py) and the test button.

A due row is claimed with a conditional UPDATE (whoever sets `claimed_until` owns it, on
SQLite and PostgreSQL alike), sent signed, and its attempt recorded on the row. A failure
is retried with exponential backoff (1, 2, 4 ... minutes) until 24 hours after the event, a
last try at that mark, then the delivery is given up. DISABLE_AFTER failed attempts in a row
at one endpoint (any of its deliveries) disable it and email its trainer."""

from __future__ import annotations

import json
import time
from datetime import datetime, timedelta
from typing import Any

import httpx
from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone

from trainerhub.accounts.models import User
from trainerhub.core.mail import send_templated
from trainerhub.webhooks import addresses, signing
from trainerhub.webhooks.models import TEST_EVENT, Delivery, Endpoint

RETRY_FOR = timedelta(hours=24)
FIRST_RETRY = timedelta(minutes=1)
DISABLE_AFTER = 15
LEASE = timedelta(minutes=2)
TIMEOUT_SECONDS = 10.0
BATCH = 100
KEEP_RESPONSES = 30
USER_AGENT = "TrainerHub-Webhooks/1"


def body_of(delivery: Delivery) -> bytes:
    return json.dumps(delivery.payload, separators=(",", ":"), ensure_ascii=False).encode()


def _claimable(moment: datetime) -> Q:
    return Q(claimed_until__isnull=True) | Q(claimed_until__lt=moment)


def _claim(pk: int, moment: datetime) -> bool:
    return bool(
        Delivery.objects.filter(pk=pk, status=Delivery.Status.PENDING)
        .filter(_claimable(moment))
        .update(claimed_until=moment + LEASE)
    )


def deliver_due(*, now: datetime | None = None) -> int:
    """The periodic job: send every due delivery (a batch a run); answers how many went."""
    moment = now or timezone.now()
    due = (
        Delivery.objects.filter(status=Delivery.Status.PENDING, next_attempt_at__lte=moment)
        .filter(Q(endpoint__enabled=True) | Q(event=TEST_EVENT))
        .filter(_claimable(moment))
        .order_by("next_attempt_at", "id")
        .values_list("pk", flat=True)[:BATCH]
    )
    delivered = 0
    for pk in list(due):
        if _claim(pk, moment):
            delivered += attempt(pk, now=moment)
    return delivered


def send_now(delivery: Delivery) -> Delivery:
    """The test button: try this delivery at once (a failure is retried like any other)."""
    moment = timezone.now()
    if _claim(delivery.pk, moment):
        attempt(delivery.pk, now=moment)
    delivery.refresh_from_db()
    return delivery


def _post(endpoint: Endpoint, delivery: Delivery, moment: datetime) -> tuple[int | None, str]:
    """(status code or None, error text); never raises for the receiver's faults."""
    try:
        addresses.check(endpoint.url)
    except addresses.RefusedURL as exc:
        return None, str(exc)
    body = body_of(delivery)
    headers = {
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        "X-TrainerHub-Event": delivery.event,
        "X-TrainerHub-Delivery": str(delivery.event_id),
        signing.HEADER: signing.sign(endpoint.secret, body, timestamp=int(moment.timestamp())),
    }
    try:
        # Redirects are not followed: a 3xx could point anywhere, past the address check.
        response = httpx.post(endpoint.url, content=body, headers=headers, timeout=TIMEOUT_SECONDS)
    except httpx.HTTPError as exc:
        return None, f"{type(exc).__name__}: {exc}"[:300]
    return response.status_code, "" if response.is_success else response.text[:300]


def attempt(pk: int, *, now: datetime | None = None) -> int:
    """One attempt of a claimed delivery; 1 when it was delivered."""
    moment = now or timezone.now()
    delivery = Delivery.objects.select_related("endpoint").get(pk=pk)
    started = time.monotonic()
    code, error = _post(delivery.endpoint, delivery, moment)
    record = {
        "at": moment.isoformat(),
        "status_code": code,
        "error": error,
        "ms": int((time.monotonic() - started) * 1000),
    }
    ok = code is not None and 200 <= code < 300
    with transaction.atomic():
        _record(delivery, record, ok=ok, moment=moment)
        _count(delivery.endpoint, ok=ok, code=code, error=error, moment=moment)
    return int(ok)


def next_attempt(created: datetime, attempts: int, moment: datetime) -> datetime | None:
    """When to try again after `attempts` failures, or None to give up."""
    deadline = created + RETRY_FOR
    if moment >= deadline:
        return None
    return min(moment + FIRST_RETRY * 2 ** (attempts - 1), deadline)


def _record(delivery: Delivery, record: dict[str, Any], *, ok: bool, moment: datetime) -> None:
    delivery.attempts += 1
    delivery.responses = [*delivery.responses, record][-KEEP_RESPONSES:]
    delivery.last_status_code = record["status_code"]
    delivery.claimed_until = None
    if ok:
        delivery.status, delivery.delivered_at, delivery.next_attempt_at = (
            Delivery.Status.DELIVERED,
            moment,
            None,
        )
    else:
        delivery.next_attempt_at = next_attempt(delivery.created_at, delivery.attempts, moment)
        if delivery.next_attempt_at is None:
            delivery.status = Delivery.Status.FAILED
    delivery.save(
        update_fields=[
            "attempts",
            "responses",
            "last_status_code",
            "claimed_until",
            "status",
            "delivered_at",
            "next_attempt_at",
        ]
    )


def _count(endpoint: Endpoint, *, ok: bool, code: int | None, error: str, moment: datetime) -> None:
    if ok:
        Endpoint.objects.filter(pk=endpoint.pk).exclude(failure_count=0).update(failure_count=0)
        return
    Endpoint.objects.filter(pk=endpoint.pk).update(failure_count=F("failure_count") + 1)
    why = f"HTTP {code}" if code is not None else (error or "no answer")
    disabled = Endpoint.objects.filter(
        pk=endpoint.pk, enabled=True, failure_count__gte=DISABLE_AFTER
    ).update(
        enabled=False,
        disabled_at=moment,
        disabled_reason=f"{DISABLE_AFTER} failed attempts in a row (last: {why})"[:200],
    )
    if disabled:
        fresh = Endpoint.objects.get(pk=endpoint.pk)
        transaction.on_commit(lambda: _email_disabled(fresh))


def _email_disabled(endpoint: Endpoint) -> None:
    """Tell the trainer their endpoint was turned off (a demo practice's mail is never sent)."""
    trainer = User.objects.get(pk=endpoint.trainer_id)
    if trainer.is_demo:
        return
    path = reverse("webhooks:detail", args=[endpoint.pk])
    context = {
        "trainer": trainer,
        "endpoint": endpoint,
        "url": f"{settings.SITE_URL.rstrip('/')}{path}",
        "site_url": settings.SITE_URL,
    }
    send_templated("webhooks/emails/disabled", context, to=trainer.email)
