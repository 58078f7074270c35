from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest

# How often the unread count is asked for again (seconds); the browser tests shorten it.
DEFAULT_POLL_SECONDS = 30


def poll_seconds() -> int:
    return int(getattr(settings, "NOTIFICATIONS_POLL_SECONDS", DEFAULT_POLL_SECONDS))


def unread(request: HttpRequest) -> dict[str, int]:
    """`unread_notifications` for the nav badge (one COUNT on signed-in pages only): the
    trainer's centre, or a client account's in their portal."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    if not (getattr(user, "is_trainer", False) or getattr(user, "role", "") == "client"):
        return {}
    from trainerhub.notifications.selectors import unread_for_user

    return {
        "unread_notifications": unread_for_user(user=user),
        "notification_poll_seconds": poll_seconds(),
    }
