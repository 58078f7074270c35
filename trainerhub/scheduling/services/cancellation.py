"""The two rules of a cancellation, in one place for every surface: what a reason must be,
and when a cancellation counts as late.

`booking_cancel` applies the reason rule itself; the client-facing services (the portal's
`client_cancel`) ask `cancellation_is_late` with the trainer's window from their portal
settings, and so does anything that shows "cancelling now would be late" before it happens.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.utils import timezone

from trainerhub.core.errors import InvalidInput

REASON_MAX_LENGTH = 1000
REASON_REQUIRED = "Tell your trainer why you are cancelling."
REASON_TOO_LONG = f"Keep the reason under {REASON_MAX_LENGTH} characters."
# Who must give a reason: the trainer may cancel without one, a client may not (the trainer
# needs to know why a session was dropped).
_REASON_REQUIRED_FOR = frozenset({"client"})


def cancellation_reason_clean(reason: str | None, *, actor: str) -> str:
    """The reason as stored (trimmed), or InvalidInput under `reason` saying what is wrong."""
    reason = (reason or "").strip()
    if not reason and actor in _REASON_REQUIRED_FOR:
        raise InvalidInput({"reason": [REASON_REQUIRED]})
    if len(reason) > REASON_MAX_LENGTH:
        raise InvalidInput({"reason": [REASON_TOO_LONG]})
    return reason


def cancellation_is_late(
    *, start: datetime, window_hours: int, now: datetime | None = None
) -> bool:
    """Late means less than the trainer's free-cancellation window before the start.

    A session that has already started is always inside the window (the client may no longer
    cancel it at all, but the answer stays true for whoever asks)."""
    now = now or timezone.now()
    return now >= start or start - now < timedelta(hours=window_hours)
