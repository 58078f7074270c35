"""The operator's settings for plans, read in one place (defaults: plans off)."""

from __future__ import annotations

from django.conf import settings


def enabled() -> bool:
    """Plans and limits apply only when the operator turns them on (PLANS_ENABLED)."""
    return bool(getattr(settings, "PLANS_ENABLED", False))


def grace_days() -> int:
    return int(getattr(settings, "PLANS_GRACE_DAYS", 7))


def api_base() -> str:
    return str(getattr(settings, "PADDLE_API_BASE", "https://api.paddle.com")).rstrip("/")


def api_key() -> str:
    return str(getattr(settings, "PADDLE_API_KEY", ""))


def webhook_secrets() -> list[str]:
    raw = str(getattr(settings, "PADDLE_WEBHOOK_SECRET", ""))
    return [part.strip() for part in raw.split(",") if part.strip()]
