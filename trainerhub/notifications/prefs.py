"""Who gets which message through which channel: the trainer's preferences, the client's
preferred channel and links, and which channels are on."""

from __future__ import annotations

from django.db import transaction

from trainerhub.accounts.models import User
from trainerhub.clients.models import Client
from trainerhub.core.tenancy import TrainerRef, trainer_id_of
from trainerhub.notifications.channels import is_on
from trainerhub.notifications.models import (
    CLIENT_KINDS,
    EMAIL_ONLY_KINDS,
    TRAINER_KINDS,
    Channel,
    ClientChannels,
    Kind,
    NotificationPreference,
    NotificationSettings,
)

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


def preference_map(trainer: TrainerRef) -> dict[tuple[str, str], bool]:
    """Every (kind, channel) the trainer can choose, with their choice or the default (on)."""
    saved = {
        (p.kind, p.channel): p.enabled
        for p in NotificationPreference.objects.filter(trainer_id=trainer_id_of(trainer))
    }
    result: dict[tuple[str, str], bool] = {}
    for kind in (*CLIENT_KINDS, *TRAINER_KINDS):
        for channel in channels_for_kind(kind):
            result[(kind, channel)] = saved.get((kind, channel), True)
    return result


def is_enabled(trainer: TrainerRef, kind: str, channel: str) -> bool:
    pref = NotificationPreference.objects.filter(
        trainer_id=trainer_id_of(trainer), kind=kind, channel=channel
    ).first()
    return True if pref is None else pref.enabled


@transaction.atomic
def preferences_set(*, trainer: TrainerRef, choices: dict[tuple[str, str], bool]) -> None:
    for (kind, channel), enabled in choices.items():
        NotificationPreference.objects.update_or_create(
            trainer_id=trainer_id_of(trainer),
            kind=kind,
            channel=channel,
            defaults={"enabled": enabled},
        )


def settings_for(trainer: TrainerRef) -> NotificationSettings:
    obj, _ = NotificationSettings.objects.get_or_create(trainer_id=trainer_id_of(trainer))
    return obj


def reminder_offsets(trainer: TrainerRef) -> list[int]:
    offsets = settings_for(trainer).reminder_offsets or []
    return sorted({int(m) for m in offsets if int(m) > 0}, reverse=True)


def client_links(client: Client) -> ClientChannels | None:
    return ClientChannels.objects.filter(client=client).first()


def client_channels(trainer: TrainerRef, client: Client, kind: str) -> list[str]:
    """The client's preferred channel when it is on and reachable, plus email where needed."""
    chosen: list[str] = []
    links = client_links(client)
    preferred = client.preferred_channel
    sms_ok = preferred == Channel.SMS and bool(client.phone) and is_on("sms", client.trainer_id)
    if sms_ok and is_enabled(trainer, kind, Channel.SMS):
        chosen.append(Channel.SMS)
    linked = bool(links and links.telegram_chat_id)
    telegram_ok = preferred == Channel.TELEGRAM and linked and is_on("telegram")
    if telegram_ok and is_enabled(trainer, kind, Channel.TELEGRAM):
        chosen.append(Channel.TELEGRAM)
    wants_email = not chosen or kind in ICS_KINDS
    if wants_email and client.email and is_enabled(trainer, kind, Channel.EMAIL):
        chosen.append(Channel.EMAIL)
    return chosen


def trainer_channels(trainer: User, kind: str) -> list[str]:
    chosen: list[str] = []
    if is_enabled(trainer, kind, Channel.INAPP):
        chosen.append(Channel.INAPP)
    if trainer.email and is_enabled(trainer, kind, Channel.EMAIL):
        chosen.append(Channel.EMAIL)
    return chosen


def reminders_stopped(client: Client) -> bool:
    links = client_links(client)
    return bool(links and links.reminders_unsubscribed_at)
