"""The client hears about their program through the notifications outbox (never inline):
one email when a program is assigned, and at most one an hour while it is being changed.
The row is written in the same transaction as the change, as every outbox row is, through
notifications.documents (messages about no booking); the trainer's preference for the kind
is respected."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from trainerhub.notifications import outbox
from trainerhub.notifications.models import Channel
from trainerhub.notifications.prefs import is_enabled

ASSIGNED = "program_assigned"
CHANGED = "program_changed"


def _link(program: Any) -> str:
    from trainerhub.coaching.services import link_for_client

    token = link_for_client(program.client).token
    return settings.SITE_URL + reverse("coaching:client_home", args=[token])


def _queue(program: Any, kind: str, dedupe: str) -> bool:
    client = program.client
    if client is None or client.erased_at is not None or not client.email:
        return False
    if not is_enabled(program.trainer_id, kind, Channel.EMAIL):
        return False
    context = {
        "program": program.name,
        "start_date": program.start_date.isoformat() if program.start_date else "",
        "url": _link(program),
    }
    _row, created = outbox.to_client_email(
        trainer=program.trainer, client=client, kind=kind, dedupe=dedupe, context=context
    )
    return created


def program_assigned(program: Any) -> bool:
    return _queue(program, ASSIGNED, f"program:{program.pk}")


def program_changed(program: Any) -> bool:
    hour = timezone.now().strftime("%Y%m%d%H")
    return _queue(program, CHANGED, f"program:{program.pk}:{hour}")
