"""Telegram through the Bot API: sendMessage, and getUpdates to link chats by deep link."""

from __future__ import annotations

from typing import Any

import httpx
from django.conf import settings

from trainerhub.notifications.channels.base import Outgoing, SendError

TIMEOUT = 15.0


def is_configured() -> bool:
    return bool(settings.TELEGRAM_BOT_TOKEN and settings.TELEGRAM_BOT_NAME)


def why_off() -> str:
    if is_configured():
        return ""
    return "Set TELEGRAM_BOT_TOKEN and TELEGRAM_BOT_NAME to send Telegram messages."


def _url(method: str) -> str:
    return f"{settings.TELEGRAM_API_BASE.rstrip('/')}/bot{settings.TELEGRAM_BOT_TOKEN}/{method}"


def call(method: str, payload: dict[str, Any]) -> Any:
    """One Bot API call; its `result`, or SendError with Telegram's description."""
    try:
        response = httpx.post(_url(method), json=payload, timeout=TIMEOUT)
    except httpx.HTTPError as exc:
        raise SendError(f"Telegram unreachable: {exc}") from exc
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


def send(out: Outgoing) -> str:
    result = call(
        "sendMessage",
        {"chat_id": out.to, "text": out.short_text or out.text, "disable_web_page_preview": True},
    )
    return str((result or {}).get("message_id", ""))


def get_updates(offset: int | None) -> list[dict[str, Any]]:
    payload: dict[str, Any] = {"timeout": 0, "allowed_updates": ["message"]}
    if offset is not None:
        payload["offset"] = offset
    return list(call("getUpdates", payload) or [])


def deep_link(code: str) -> str:
    return f"https://t.me/{settings.TELEGRAM_BOT_NAME}?start={code}"
