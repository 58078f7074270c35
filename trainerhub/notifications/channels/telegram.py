"""Telegram through the Bot API: sendMessage, and getUpdates to link chats by deep link.

A trainer may connect their own bot (`TelegramBot`, on the notification settings page);
their clients then link and chat with that bot. Otherwise the operator's bot from the
environment (TELEGRAM_BOT_TOKEN, TELEGRAM_BOT_NAME) sends, when set.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from typing import Any

import httpx
from django.conf import settings

from trainerhub.notifications.channels.base import Outgoing, SendError

TIMEOUT = 15.0


@dataclass(frozen=True)
class Bot:
    token: str
    name: str
    own: bool  # the trainer's own bot, not the operator's
    trainer_id: int | None = None  # whose bot (None: the operator's)
    pk: int | None = None  # its TelegramBot row

    @property
    def webhook_secret(self) -> str:
        return webhook_secret_for(self.token)


def webhook_secret_for(token: str) -> str:
    return hmac.new(settings.SECRET_KEY.encode(), token.encode(), hashlib.sha256).hexdigest()[:32]


def operator_bot() -> Bot | None:
    token, name = settings.TELEGRAM_BOT_TOKEN, settings.TELEGRAM_BOT_NAME
    return Bot(token, name, own=False) if token and name else None


def bot_for(trainer_id: int | None) -> Bot | None:
    """The bot that serves this trainer's clients: their own, else the operator's."""
    if trainer_id is not None:
        from trainerhub.notifications.models import TelegramBot

        row = TelegramBot.objects.filter(trainer_id=trainer_id).first()
        if row is not None:
            return Bot(row.bot_token, row.bot_name, own=True, trainer_id=trainer_id, pk=row.pk)
    return operator_bot()


def is_configured(trainer_id: int | None = None) -> bool:
    return bot_for(trainer_id) is not None


def why_off() -> str:
    if is_configured():
        return ""
    return (
        "Connect your own Telegram bot below, or (whoever runs this server) set "
        "TELEGRAM_BOT_TOKEN and TELEGRAM_BOT_NAME."
    )


def _url(token: str, method: str) -> str:
    return f"{settings.TELEGRAM_API_BASE.rstrip('/')}/bot{token}/{method}"


def call(method: str, payload: dict[str, Any], *, bot: Bot | None = None) -> Any:
    """One Bot API call (the operator's bot unless `bot`); its `result`, or SendError with
    Telegram's description."""
    bot = bot or operator_bot()
    if bot is None:
        raise SendError("No Telegram bot is set up.", permanent=True)
    try:
        response = httpx.post(_url(bot.token, method), json=payload, timeout=TIMEOUT)
    except httpx.HTTPError:
        # The exception's text quotes the URL, which carries the token: never log it.
        raise SendError("Telegram unreachable.") from None
    try:
        body = response.json()
    except ValueError:
        body = {}
    if isinstance(body, dict) and body.get("ok"):
        return body.get("result")
    description = (body or {}).get("description") or response.reason_phrase
    status = (body or {}).get("error_code") or response.status_code
    permanent = 400 <= int(status) < 500 and int(status) != 429
    raise SendError(f"Telegram {status}: {description}", permanent=permanent)


def send(out: Outgoing, *, trainer_id: int | None = None) -> str:
    bot = bot_for(trainer_id)
    if bot is None:
        raise SendError("No Telegram bot is set up.", permanent=True)
    result = call(
        "sendMessage",
        {"chat_id": out.to, "text": out.short_text or out.text, "disable_web_page_preview": True},
        bot=bot,
    )
    return str((result or {}).get("message_id", ""))


def get_updates(offset: int | None, *, bot: Bot | None = None) -> list[dict[str, Any]]:
    payload: dict[str, Any] = {"timeout": 0, "allowed_updates": ["message"]}
    if offset is not None:
        payload["offset"] = offset
    return list(call("getUpdates", payload, bot=bot) or [])


def check_bot(token: str) -> tuple[str, str]:
    """Ask Telegram who this token's bot is (getMe): (its username, "") when the token works,
    else ("", what went wrong, in words for the trainer). Sends nothing."""
    try:
        result = call("getMe", {}, bot=Bot(token, "", own=True))
    except SendError as exc:
        if exc.permanent:
            return "", "Telegram refused this bot token: copy it again from @BotFather."
        return "", "Telegram could not be reached; try again in a moment."
    username = str((result or {}).get("username") or "")
    if not username or not (result or {}).get("is_bot", True):
        return "", "That token is not a bot's."
    return username, ""


def deep_link(code: str, *, trainer_id: int | None = None) -> str:
    bot = bot_for(trainer_id)
    name = bot.name if bot else settings.TELEGRAM_BOT_NAME
    return f"https://t.me/{name}?start={code}"
