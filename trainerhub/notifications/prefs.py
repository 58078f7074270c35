"""Who gets which message through which channel: the trainer's preferences, the client's
preferred channel and links, and which channels are on."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import transaction

from trainerhub.accounts.models import User
from trainerhub.clients.models import Client
from trainerhub.core.tenancy import TrainerRef, trainer_id_of
from trainerhub.notifications.channels import is_on
from trainerhub.notifications.models import (
    ALWAYS_SENT_KINDS,
    CLIENT_KINDS,
    EMAIL_ONLY_KINDS,
    TRAINER_KINDS,
    Channel,
    ClientChannels,
    Kind,
    NotificationPreference,
    NotificationSettings,
)
from trainerhub.plans import services as plans
from trainerhub.plans.models import SMS

# Messages that carry an .ics invitation go by email even to clients who prefer SMS or
# Telegram, so their calendar stays right.
ICS_KINDS = frozenset({Kind.BOOKING_CONFIRMED, Kind.BOOKING_RESCHEDULED, Kind.BOOKING_CANCELLED})

CLIENT_CHANNELS = (Channel.EMAIL, Channel.SMS, Channel.TELEGRAM)
TRAINER_CHANNELS = (Channel.INAPP, Channel.EMAIL)


def channels_for_kind(kind: str) -> tuple[str, ...]:
    if kind in EMAIL_ONLY_KINDS:
        return (Channel.EMAIL,)
    if kind in CLIENT_KINDS:
        return CLIENT_CHANNELS
    if kind in TRAINER_KINDS:
        return TRAINER_CHANNELS
    return (Channel.EMAIL,)


# Whether the trainer wants (kind, channel) sent: `is_enabled` asks the database each time,
# `enabled_by` answers from the trainer's choices read once (one booking change's messages).
Enabled = Callable[[str, str], bool]
# Marks "read the client's links yourself" apart from a client who has none (None).
_READ: Any = object()


def saved_preferences(trainer: TrainerRef) -> dict[tuple[str, str], bool]:
    """The choices the trainer saved (a missing one is on), in one query. A receipt is
    always on, whatever a row says (ALWAYS_SENT_KINDS)."""
    rows = NotificationPreference.objects.filter(trainer_id=trainer_id_of(trainer))
    return {
        (kind, channel): on or kind in ALWAYS_SENT_KINDS
        for kind, channel, on in rows.values_list("kind", "channel", "enabled")
    }


def enabled_by(trainer: TrainerRef) -> Enabled:
    saved = saved_preferences(trainer)
    return lambda kind, channel: saved.get((kind, channel), True)


def preference_map(trainer: TrainerRef) -> dict[tuple[str, str], bool]:
    """Every (kind, channel) the trainer can choose, with their choice or the default (on)."""
    saved = saved_preferences(trainer)
    result: dict[tuple[str, str], bool] = {}
    for kind in (*CLIENT_KINDS, *TRAINER_KINDS):
        for channel in channels_for_kind(kind):
            result[(kind, channel)] = saved.get((kind, channel), True)
    return result


def is_enabled(trainer: TrainerRef, kind: str, channel: str) -> bool:
    if kind in ALWAYS_SENT_KINDS:
        return True
    pref = NotificationPreference.objects.filter(
        trainer_id=trainer_id_of(trainer), kind=kind, channel=channel
    ).first()
    return True if pref is None else pref.enabled


@transaction.atomic
def preferences_set(*, trainer: TrainerRef, choices: dict[tuple[str, str], bool]) -> None:
    for (kind, channel), enabled in choices.items():
        if kind in ALWAYS_SENT_KINDS:
            continue  # not the trainer's to turn off
        NotificationPreference.objects.update_or_create(
            trainer_id=trainer_id_of(trainer),
            kind=kind,
            channel=channel,
            defaults={"enabled": enabled},
        )


def settings_for(trainer: TrainerRef) -> NotificationSettings:
    obj, _ = NotificationSettings.objects.get_or_create(trainer_id=trainer_id_of(trainer))
    return obj


def reminder_offsets(
    trainer: TrainerRef, settings: NotificationSettings | None = None
) -> list[int]:
    offsets = (settings or settings_for(trainer)).reminder_offsets or []
    return sorted({int(m) for m in offsets if int(m) > 0}, reverse=True)


def client_links(client: Client) -> ClientChannels | None:
    return ClientChannels.objects.filter(client=client).first()


def client_channels(
    trainer: TrainerRef,
    client: Client,
    kind: str,
    *,
    enabled: Enabled | None = None,
    links: ClientChannels | None = _READ,
) -> list[str]:
    """The client's preferred channel when it is on and reachable, plus email where needed.

    enabled, links: the trainer's choices and the client's links when the caller already
    read them (one booking change writes several messages: they are read once)."""
    chosen: list[str] = []
    if links is _READ:
        links = client_links(client)
    if enabled is None:
        enabled = lambda kind, channel: is_enabled(trainer, kind, channel)  # noqa: E731
    preferred = client.preferred_channel
    sms_ok = preferred == Channel.SMS and bool(client.phone) and is_on("sms", client.trainer_id)
    # A plan without SMS: the client who prefers SMS gets the email instead (the worker
    # would skip the text, and they would hear nothing at all).
    sms_ok = sms_ok and plans.feature_enabled(client.trainer_id, SMS)
    if sms_ok and enabled(kind, Channel.SMS):
        chosen.append(Channel.SMS)
    linked = bool(links and links.telegram_chat_id)
    telegram_ok = preferred == Channel.TELEGRAM and linked and is_on("telegram", client.trainer_id)
    if telegram_ok and enabled(kind, Channel.TELEGRAM):
        chosen.append(Channel.TELEGRAM)
    wants_email = not chosen or kind in ICS_KINDS
    if wants_email and client.email and enabled(kind, Channel.EMAIL):
        chosen.append(Channel.EMAIL)
    return chosen


def trainer_channels(trainer: User, kind: str, *, enabled: Enabled | None = None) -> list[str]:
    if enabled is None:
        enabled = lambda kind, channel: is_enabled(trainer, kind, channel)  # noqa: E731
    chosen: list[str] = []
    if enabled(kind, Channel.INAPP):
        chosen.append(Channel.INAPP)
    if trainer.email and enabled(kind, Channel.EMAIL):
        chosen.append(Channel.EMAIL)
    return chosen


def reminders_stopped(client: Client) -> bool:
    links = client_links(client)
    return bool(links and links.reminders_unsubscribed_at)
