"""The email a client gets 7 days before a package's free credits expire, written to the
notifications outbox (so the trainer's preferences, the message log and "demo accounts
never send" apply as for every message). Once per package and last day: the outbox's key
(trainer, kind, channel, dedupe) makes a second write, by a second worker too, a no-op."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.utils import timezone

from trainerhub.accounts.models import User
from trainerhub.core.timezones import zone
from trainerhub.notifications import outbox, prefs
from trainerhub.notifications.models import Channel, Kind
from trainerhub.packages import selectors
from trainerhub.packages.models import ClientPackage

NOTICE_DAYS = 7


def _long_day(day: date) -> str:
    return f"{day:%A} {day.day} {day:%B %Y}"


def write_expiry_notices(*, now: datetime | None = None, days: int = NOTICE_DAYS) -> int:
    """Write the notice for every package whose last day is `days` days (or fewer) ahead in
    the trainer's zone and that still has free credits; answer how many were written."""
    now = now or timezone.now()
    written = 0
    horizon = now.date() + timedelta(days=days + 1)
    rows = (
        selectors.with_balance(
            ClientPackage.objects.filter(
                refunded_at__isnull=True,
                expires_on__isnull=False,
                expires_on__gte=now.date() - timedelta(days=1),
                expires_on__lte=horizon,
            ).select_related("trainer", "client"),
            today=now.date(),
        )
        .filter(sessions_remaining__gt=0)
        .order_by("expires_on", "id")
    )
    for cp in rows:
        trainer: User = cp.trainer
        today = now.astimezone(zone(trainer.timezone)).date()
        assert cp.expires_on is not None
        if not today <= cp.expires_on <= today + timedelta(days=days):
            continue
        if Channel.EMAIL not in prefs.client_channels(trainer, cp.client, Kind.PACKAGE_EXPIRING):
            continue
        _, created = outbox.to_client_email(
            trainer=trainer,
            client=cp.client,
            kind=Kind.PACKAGE_EXPIRING,
            dedupe=f"package:{cp.pk}:{cp.expires_on.isoformat()}",
            context={
                "package": cp.name,
                "left": cp.sessions_remaining,
                "expires": _long_day(cp.expires_on),
            },
        )
        written += int(created)
    return written


def expiry_pass(now: datetime | None = None) -> int:
    """The worker's periodic job (core/periodic.py): expire what is past its last day, then
    write the week-ahead notices. Idempotent and safe with two workers."""
    from trainerhub.packages.services import expire_due

    expired = expire_due(now=now).expired
    return expired + write_expiry_notices(now=now)
