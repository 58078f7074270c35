from __future__ import annotations

from django.http import HttpRequest


def unread(request: HttpRequest) -> dict[str, int]:
    """`unread_notifications` for the nav badge (one COUNT on trainer pages only)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not getattr(user, "is_trainer", False):
        return {}
    from trainerhub.notifications.selectors import unread_count

    return {"unread_notifications": unread_count(trainer=user)}
