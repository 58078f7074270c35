"""Writes of the notifications domain (HackSoft style: keyword-only, typed, atomic)."""

from __future__ import annotations

import hmac
import logging
import re
import secrets
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
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
    ClientInAppNotification,
    InAppNotification,
    Kind,
    Notification,
    NotificationSettings,
    SmsAccount,
    TelegramBot,
    WorkerState,
)
from trainerhub.plans import services as plans
from trainerhub.plans.models import SMS

logger = logging.getLogger("trainerhub.notifications")
TELEGRAM_CODE_TTL = timedelta(days=7)


# --- In-app ------------------------------------------------------------------------------


def notify_trainer_in_app(
    *, trainer: TrainerRef, title: str, body: str = "", url: str = ""
) -> InAppNotification:
    return InAppNotification.objects.create(
        trainer_id=trainer_id_of(trainer), title=title[:200], body=body[:2000], url=url[:500]
    )


def notification_mark_read(*, notification: InAppNotification | ClientInAppNotification) -> None:
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])


def notifications_mark_all_read(*, trainer: TrainerRef) -> int:
    return InAppNotification.objects.filter(
        trainer_id=trainer_id_of(trainer), read_at__isnull=True
    ).update(read_at=timezone.now())


def notify_client_in_app(
    *, client: Client, kind: str, title: str, body: str = "", url: str = ""
) -> ClientInAppNotification:
    return ClientInAppNotification.objects.create(
        trainer_id=client.trainer_id,
        client=client,
        kind=kind,
        title=title[:200],
        body=body[:2000],
        url=url[:500],
    )


def in_app_mark_all_read(*, user: User) -> int:
    """Every unread line of the caller's own centre (a client's: from every trainer)."""
    if user.is_trainer:
        return notifications_mark_all_read(trainer=user)
    return ClientInAppNotification.objects.filter(
        client__account=user, read_at__isnull=True
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
    if not is_on("telegram", client.trainer_id):
        return None
    links = _links(client)
    links.telegram_link_code = secrets.token_urlsafe(18)
    links.telegram_code_created_at = timezone.now()
    links.save(update_fields=["telegram_link_code", "telegram_code_created_at"])
    return telegram.deep_link(links.telegram_link_code, trainer_id=client.trainer_id)


def _codes_of(bot: telegram.Bot | None) -> QuerySet[ClientChannels]:
    """The link codes a bot may redeem: a trainer's own bot links their clients only; the
    operator's bot links the clients of every trainer without a bot of their own."""
    if bot is not None and bot.own:
        return ClientChannels.objects.filter(trainer_id=bot.trainer_id)
    return ClientChannels.objects.exclude(trainer_id__in=TelegramBot.objects.values("trainer_id"))


@transaction.atomic
def telegram_handle_update(update: dict[str, Any], *, bot: telegram.Bot | None = None) -> bool:
    """Link a chat when its message to `bot` (the operator's when None) is `/start <code>`
    with a live one-time code of a client that bot serves."""
    message = update.get("message") or {}
    text = str(message.get("text") or "")
    chat_id = (message.get("chat") or {}).get("id")
    if not text.startswith("/start ") or chat_id is None:
        return False
    code = text.split(maxsplit=1)[1].strip()
    links = (
        _codes_of(bot)
        .select_for_update()
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
    """getUpdates once for every bot that has no webhook (the operator's, and the trainers'
    own); returns how many chats were linked."""
    linked = 0
    operator = telegram.operator_bot()
    if operator and not WorkerState.objects.filter(key="telegram_webhook").exists():
        linked += _poll_bot(operator, "telegram_offset")
    for row in TelegramBot.objects.filter(webhook_set=False).order_by("pk"):
        bot = telegram.Bot(row.bot_token, row.bot_name, own=True, trainer_id=row.trainer_id)
        linked += _poll_bot(bot, f"telegram_offset:{row.pk}")
    return linked


def _poll_bot(bot: telegram.Bot, key: str) -> int:
    state, _ = WorkerState.objects.get_or_create(key=key)
    offset = int(state.value) if state.value else None
    try:
        updates = telegram.get_updates(offset, bot=bot)
    except SendError as exc:
        logger.warning(
            "telegram getUpdates failed", extra={"error": exc.message, "trainer": bot.trainer_id}
        )
        return 0
    linked = 0
    for update in updates:
        linked += int(telegram_handle_update(update, bot=bot))
        offset = max(offset or 0, int(update.get("update_id", 0)) + 1)
    if offset is not None:
        WorkerState.objects.filter(key=key).update(value=str(offset))
    return linked


def telegram_bot_by_secret(secret: str) -> telegram.Bot | None:
    """The bot whose webhook path carries this secret (the operator's or a trainer's)."""
    operator = telegram.operator_bot()
    if operator and hmac.compare_digest(secret, operator.webhook_secret):
        return operator
    row = TelegramBot.objects.filter(webhook_secret=secret).first() if secret else None
    if row is None:
        return None
    return telegram.Bot(row.bot_token, row.bot_name, own=True, trainer_id=row.trainer_id)


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
    SID and token work. An empty token on a change keeps the stored one. A plan without
    SMS (plans on) refuses it: 409 plan_limit, limit sms."""
    plans.feature_check(trainer, SMS)
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


# --- The trainer's own Telegram bot ------------------------------------------------------

BOT_TOKEN = re.compile(r"^[0-9]{3,20}:[A-Za-z0-9_-]{30,64}$")


def telegram_bot_for(*, trainer: TrainerRef) -> TelegramBot | None:
    return TelegramBot.objects.filter(trainer_id=trainer_id_of(trainer)).first()


@transaction.atomic
def telegram_bot_set(*, trainer: TrainerRef, bot_token: str) -> TelegramBot:
    """Connect (or change) the trainer's own bot, after Telegram confirmed the token (getMe,
    which also names the bot). With an HTTPS SITE_URL, Telegram is told our webhook for it;
    otherwise the worker polls it. Clients linked to another bot must press Start on the new
    one: their chats are unlinked (their messages go by email until they do)."""
    trainer_id = trainer_id_of(trainer)
    bot_token = bot_token.strip()
    if not BOT_TOKEN.match(bot_token):
        raise InvalidInput(
            {"bot_token": ["A bot token looks like 123456789:AAE... (from @BotFather)."]}
        )
    name, problem = telegram.check_bot(bot_token)
    if problem:
        raise InvalidInput({"bot_token": [problem]})
    bot = telegram_bot_for(trainer=trainer) or TelegramBot(trainer_id=trainer_id)
    changed = bot.pk is None or bot.bot_token != bot_token
    bot.bot_token, bot.bot_name = bot_token, name
    bot.webhook_secret = telegram.webhook_secret_for(bot_token)
    if changed:
        bot.webhook_set = _telegram_set_webhook(bot)
        _telegram_unlink_chats(trainer_id)
    bot.save()
    logger.info("telegram bot connected", extra={"trainer": trainer_id})
    return bot


def _telegram_set_webhook(bot: TelegramBot) -> bool:
    """Point the bot at our webhook when Telegram can reach us (HTTPS only); False: poll."""
    if not settings.SITE_URL.startswith("https://"):
        return False
    path = reverse("notifications:telegram_webhook", args=[bot.webhook_secret])
    target = telegram.Bot(bot.bot_token, bot.bot_name, own=True)
    try:
        telegram.call("setWebhook", {"url": settings.SITE_URL.rstrip("/") + path}, bot=target)
    except SendError as exc:
        logger.warning("telegram setWebhook failed", extra={"error": exc.message})
        return False
    return True


def _telegram_unlink_chats(trainer_id: int) -> None:
    ClientChannels.objects.filter(trainer_id=trainer_id).exclude(telegram_chat_id="").update(
        telegram_chat_id="", telegram_link_code=""
    )


@transaction.atomic
def telegram_bot_remove(*, trainer: TrainerRef) -> None:
    """Disconnect the trainer's bot: their clients go back to the operator's bot (if any),
    where they must press Start again."""
    trainer_id = trainer_id_of(trainer)
    if TelegramBot.objects.filter(trainer_id=trainer_id).delete()[0]:
        _telegram_unlink_chats(trainer_id)
