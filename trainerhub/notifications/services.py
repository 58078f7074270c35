"""Writes of the notifications domain (HackSoft style: keyword-only, typed, atomic)."""

from __future__ import annotations

import logging
import re
import secrets
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from trainerhub.accounts.models import User
from trainerhub.clients.models import Client
from trainerhub.core.errors import InvalidInput
from trainerhub.core.tenancy import TrainerRef, trainer_id_of
from trainerhub.notifications.channels import SendError, is_on, sms_twilio, telegram
from trainerhub.notifications.models import (
    CalendarFeed,
    Channel,
    ClientChannels,
    InAppNotification,
    Kind,
    Notification,
    NotificationSettings,
    SmsAccount,
    WorkerState,
)

logger = logging.getLogger("trainerhub.notifications")
TELEGRAM_CODE_TTL = timedelta(days=7)


# --- In-app ------------------------------------------------------------------------------


def notify_trainer_in_app(
    *, trainer: TrainerRef, title: str, body: str = "", url: str = ""
) -> InAppNotification:
    return InAppNotification.objects.create(
        trainer_id=trainer_id_of(trainer), title=title[:200], body=body[:2000], url=url[:500]
    )


def notification_mark_read(*, notification: InAppNotification) -> None:
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])


def notifications_mark_all_read(*, trainer: TrainerRef) -> int:
    return InAppNotification.objects.filter(
        trainer_id=trainer_id_of(trainer), read_at__isnull=True
    ).update(read_at=timezone.now())


# --- Account mail ------------------------------------------------------------------------


@transaction.atomic
def send_welcome_email(user: User) -> Notification:
    """Queue the welcome email of a newly registered trainer (sent by the worker)."""
    row, _ = Notification.objects.get_or_create(
        trainer=user,
        kind=Kind.WELCOME,
        channel=Channel.EMAIL,
        booking=None,
        dedupe="welcome",
        defaults={"recipient": Notification.Recipient.TRAINER, "due_at": timezone.now()},
    )
    return row


# --- Settings ----------------------------------------------------------------------------


@transaction.atomic
def notification_settings_update(
    *, trainer: TrainerRef, reminder_offsets: list[int], daily_agenda: bool, agenda_hour: int
) -> NotificationSettings:
    offsets = sorted({int(m) for m in reminder_offsets}, reverse=True)
    if any(m < 5 or m > 14 * 24 * 60 for m in offsets):
        raise InvalidInput({"reminder_offsets": ["Each reminder must be 5 minutes to 14 days."]})
    if len(offsets) > 5:
        raise InvalidInput({"reminder_offsets": ["At most 5 reminders."]})
    if not 0 <= agenda_hour <= 23:
        raise InvalidInput({"agenda_hour": ["Pick an hour from 0 to 23."]})
    obj, _ = NotificationSettings.objects.get_or_create(trainer_id=trainer_id_of(trainer))
    obj.reminder_offsets, obj.daily_agenda, obj.agenda_hour = offsets, daily_agenda, agenda_hour
    obj.save()
    return obj


# --- Clients: unsubscribe and Telegram ---------------------------------------------------


def _links(client: Client) -> ClientChannels:
    obj, _ = ClientChannels.objects.get_or_create(
        client=client, defaults={"trainer_id": client.trainer_id}
    )
    return obj


@transaction.atomic
def client_unsubscribe_reminders(*, client: Client) -> None:
    links = _links(client)
    if links.reminders_unsubscribed_at is None:
        links.reminders_unsubscribed_at = timezone.now()
        links.save(update_fields=["reminders_unsubscribed_at"])


@transaction.atomic
def client_resubscribe_reminders(*, client: Client) -> None:
    ClientChannels.objects.filter(client=client).update(reminders_unsubscribed_at=None)


@transaction.atomic
def telegram_link_for_client(*, client: Client) -> str | None:
    """A deep link `https://t.me/<bot>?start=<one-time code>`, or None when Telegram is off."""
    if not is_on("telegram"):
        return None
    links = _links(client)
    links.telegram_link_code = secrets.token_urlsafe(18)
    links.telegram_code_created_at = timezone.now()
    links.save(update_fields=["telegram_link_code", "telegram_code_created_at"])
    return telegram.deep_link(links.telegram_link_code)


@transaction.atomic
def telegram_handle_update(update: dict[str, Any]) -> bool:
    """Link a chat when its message is `/start <code>` with a live one-time code."""
    message = update.get("message") or {}
    text = str(message.get("text") or "")
    chat_id = (message.get("chat") or {}).get("id")
    if not text.startswith("/start ") or chat_id is None:
        return False
    code = text.split(maxsplit=1)[1].strip()
    links = (
        ClientChannels.objects.select_for_update()
        .filter(
            telegram_link_code=code,
            telegram_code_created_at__gte=timezone.now() - TELEGRAM_CODE_TTL,
        )
        .first()
        if code
        else None
    )
    if links is None:
        return False
    links.telegram_chat_id = str(chat_id)
    links.telegram_link_code = ""  # one-time
    links.save(update_fields=["telegram_chat_id", "telegram_link_code"])
    # Pressing Start on the link "get your messages on Telegram" is the client's choice:
    # without it, messages would keep going to the old channel.
    Client.objects.filter(pk=links.client_id).update(preferred_channel=Channel.TELEGRAM)
    return True


def telegram_poll() -> int:
    """getUpdates once (when no webhook is used); returns how many chats were linked."""
    if not is_on("telegram") or WorkerState.objects.filter(key="telegram_webhook").exists():
        return 0
    state, _ = WorkerState.objects.get_or_create(key="telegram_offset")
    offset = int(state.value) if state.value else None
    try:
        updates = telegram.get_updates(offset)
    except SendError as exc:
        logger.warning("telegram getUpdates failed", extra={"error": exc.message})
        return 0
    linked = 0
    for update in updates:
        linked += int(telegram_handle_update(update))
        offset = max(offset or 0, int(update.get("update_id", 0)) + 1)
    if offset is not None:
        WorkerState.objects.filter(key="telegram_offset").update(value=str(offset))
    return linked


# --- Calendar feeds ----------------------------------------------------------------------


def feed_url(feed: CalendarFeed) -> str:
    return f"{settings.SITE_URL}/calendar/{feed.token}.ics"


@transaction.atomic
def calendar_feed_regenerate(*, trainer: TrainerRef, client: Client | None = None) -> CalendarFeed:
    """Revoke the current feed (if any) and issue a new private token."""
    calendar_feed_revoke(trainer=trainer, client=client)
    return CalendarFeed.objects.create(
        trainer_id=trainer_id_of(trainer), client=client, token=secrets.token_urlsafe(32)
    )


@transaction.atomic
def calendar_feed_revoke(*, trainer: TrainerRef, client: Client | None = None) -> int:
    return CalendarFeed.objects.filter(
        trainer_id=trainer_id_of(trainer), client=client, revoked_at__isnull=True
    ).update(revoked_at=timezone.now())


def calendar_feed_for(
    *, trainer: TrainerRef, client: Client | None = None, create: bool = False
) -> CalendarFeed | None:
    feed = CalendarFeed.objects.filter(
        trainer_id=trainer_id_of(trainer), client=client, revoked_at__isnull=True
    ).first()
    if feed is None and create:
        feed = calendar_feed_regenerate(trainer=trainer, client=client)
    return feed


def client_feed_url(*, client: Client) -> str:
    """The per-client feed of their own sessions (for the portal); created on first use."""
    feed = calendar_feed_for(trainer=client.trainer_id, client=client)
    return feed_url(feed or calendar_feed_regenerate(trainer=client.trainer_id, client=client))


# --- The trainer's own SMS account -------------------------------------------------------

TWILIO_SID = re.compile(r"^AC[0-9a-fA-F]{32}$")
E164 = re.compile(r"^\+[1-9][0-9]{6,14}$")


def sms_account_for(*, trainer: TrainerRef) -> SmsAccount | None:
    return SmsAccount.objects.filter(trainer_id=trainer_id_of(trainer)).first()


@transaction.atomic
def sms_account_set(
    *, trainer: TrainerRef, account_sid: str, auth_token: str = "", from_number: str
) -> SmsAccount:
    """Connect (or change) the trainer's own Twilio account, after Twilio confirmed that the
    SID and token work. An empty token on a change keeps the stored one."""
    account = sms_account_for(trainer=trainer)
    account_sid, auth_token = account_sid.strip(), auth_token.strip()
    from_number = "".join(from_number.split())
    errors: dict[str, list[str]] = {}
    if not TWILIO_SID.match(account_sid):
        errors["account_sid"] = ["A Twilio account SID is AC followed by 32 letters and digits."]
    if not auth_token and account is None:
        errors["auth_token"] = ["Paste the auth token from Twilio's console."]
    elif auth_token and not re.fullmatch(r"[0-9a-zA-Z]{16,128}", auth_token):
        errors["auth_token"] = ["That does not look like a Twilio auth token."]
    if not E164.match(from_number):
        errors["from_number"] = ["Give the number with its country code, e.g. +447700900123."]
    if errors:
        raise InvalidInput(errors)
    token = auth_token or (account.auth_token if account else "")
    problem = sms_twilio.check_account(
        sms_twilio.Credentials(account_sid, token, from_number, own=True)
    )
    if problem:
        raise InvalidInput({"auth_token": [problem]})
    if account is None:
        account = SmsAccount(trainer_id=trainer_id_of(trainer))
    account.account_sid, account.auth_token, account.from_number = account_sid, token, from_number
    account.save()
    logger.info("sms account connected", extra={"trainer": trainer_id_of(trainer)})
    return account


@transaction.atomic
def sms_account_remove(*, trainer: TrainerRef) -> None:
    SmsAccount.objects.filter(trainer_id=trainer_id_of(trainer)).delete()
