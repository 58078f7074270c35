"""What a trainer does from insights: send a lapsing client a check-in."""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from trainerhub.accounts.models import User
from trainerhub.clients.models import Client
from trainerhub.core.access import get_owned_or_404
from trainerhub.core.errors import Conflict
from trainerhub.core.timezones import zone
from trainerhub.insights import risk
from trainerhub.notifications import prefs
from trainerhub.notifications.models import Notification

# The outbox kind of a check-in (its templates: emails/check_in-*).
CHECK_IN = "check_in"


@transaction.atomic
def check_in_send(
    *, trainer: User, client_pk: object, now: datetime | None = None
) -> list[Notification]:
    """Queue a check-in to one of the trainer's clients through the outbox, on the channels
    the trainer's preferences and the client's allow; at most one a day per client (a second
    click the same day changes nothing). Demo trainers' rows are logged, never sent (the
    dispatcher's rule)."""
    now = now or timezone.now()
    client: Client = get_owned_or_404(Client, trainer=trainer, pk=client_pk)
    if client.erased_at is not None or client.status == Client.Status.ARCHIVED:
        raise Conflict(
            f"{client.full_name} is archived: unarchive them first.", code="not_reachable"
        )
    channels = prefs.client_channels(trainer, client, CHECK_IN)
    if not channels:
        raise Conflict(
            f"{client.full_name} has no email address or reachable phone: add one first.",
            code="not_reachable",
        )
    flag = next((f for f in risk.flags(trainer=trainer, now=now) if f.client == client.pk), None)
    last = flag.last_visit if flag else None
    tz = zone(trainer.timezone)
    context = {
        "book_url": settings.SITE_URL + reverse("portal:book", args=[trainer.slug]),
        "last_session": f"{last.astimezone(tz):%A %d %B}" if last else "",
        "why": flag.why if flag else "",
    }
    day = now.astimezone(tz).date().isoformat()
    rows = []
    for channel in channels:
        row, _ = Notification.objects.get_or_create(
            trainer=trainer,
            kind=CHECK_IN,
            channel=channel,
            booking=None,
            dedupe=f"check_in:{client.pk}:{day}",
            defaults={
                "client": client,
                "recipient": Notification.Recipient.CLIENT,
                "due_at": now,
                "context": context,
            },
        )
        rows.append(row)
    return rows
