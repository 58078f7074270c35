"""The at-risk flags other apps know (issue 16): adherence to a training program that
dropped (coaching) and package credits about to expire unused (packages).

Coaching and packages sit below insights, so they cannot call `risk.signal_add` themselves
(an upward import the layers forbid); insights registers these readers of theirs at ready()
(apps.py). Each returns {client id: the sentence that says why}, in a fixed number of queries.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from trainerhub.accounts.models import User
from trainerhub.core.timezones import zone

EXPIRY_DAYS = 14  # credits expiring within this many days (today included) flag the client


def _today(trainer: User, now: datetime) -> date:
    return now.astimezone(zone(trainer.timezone)).date()


def adherence_dropped(trainer: User, now: datetime) -> dict[int, str]:
    """Clients whose 7-day program adherence fell 20 points or more below their 30-day
    figure (coaching's "needs attention" rule)."""
    from trainerhub.coaching import selectors as coaching

    return {
        client.pk: (f"training adherence fell from {a.d30}% (30 days) to {a.d7}% (last 7 days)")
        for client, a in coaching.attention_clients(trainer=trainer, today=_today(trainer, now))
    }


def _credits(n: int) -> str:
    return "1 package credit" if n == 1 else f"{n} package credits"


def credits_expiring(trainer: User, now: datetime) -> dict[int, str]:
    """Clients holding unused package credits whose package ends within 14 days."""
    from trainerhub.packages.models import ClientPackage
    from trainerhub.packages.selectors import with_balance

    today = _today(trainer, now)
    held = with_balance(
        ClientPackage.objects.filter(
            trainer_id=trainer.pk,
            refunded_at__isnull=True,
            expires_on__gte=today,
            expires_on__lt=today + timedelta(days=EXPIRY_DAYS),
        ),
        today=today,
    ).filter(sessions_remaining__gt=0)
    found: dict[int, str] = {}
    for client_id, name, left, last_day in held.order_by("expires_on", "pk").values_list(
        "client_id", "name", "sessions_remaining", "expires_on"
    ):
        if client_id in found:  # the soonest package says why
            continue
        days = (last_day - today).days
        when = "today" if days == 0 else ("tomorrow" if days == 1 else f"in {days} days")
        found[client_id] = (
            f"{_credits(left)} of “{name}” unused, expiring {when} ({last_day:%d %b})"
        )
    return found
