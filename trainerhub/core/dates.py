"""The one way dates are written on the trainer's pages and in generated labels: en-GB,
day without a leading zero ("Thu 3 Dec 2026, 10:00"), in the current timezone."""

from __future__ import annotations

from datetime import date, datetime

from django.utils import dateformat, timezone

DAY = "D j M Y"  # Thu 3 Dec 2026 (templates use the same strings with |date)
DAY_TIME = "D j M Y, H:i"  # Thu 3 Dec 2026, 10:00


def _local(value: date | datetime) -> date | datetime:
    if isinstance(value, datetime) and timezone.is_aware(value):
        return timezone.localtime(value)
    return value


def day_label(value: date | datetime) -> str:
    return dateformat.format(_local(value), DAY)


def day_time_label(value: datetime) -> str:
    return dateformat.format(_local(value), DAY_TIME)
