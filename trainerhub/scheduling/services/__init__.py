"""Writes of the scheduling domain (one module per entity; import from here)."""

from trainerhub.scheduling.services.availability import (
    date_override_create,
    date_override_delete,
    date_override_set,
    date_override_update,
    time_off_create,
    time_off_delete,
    time_off_overlaps,
    time_off_update,
    weekly_interval_create,
    weekly_interval_delete,
    weekly_interval_update,
)
from trainerhub.scheduling.services.bookings import (
    booking_cancel,
    booking_complete,
    booking_confirm,
    booking_create,
    booking_decline,
    booking_mark_no_show,
    booking_reschedule,
    booking_update,
    session_move,
)
from trainerhub.scheduling.services.catalog import (
    service_create,
    service_deactivate,
    service_update,
)
from trainerhub.scheduling.services.series import (
    series_cancel_following,
    series_create,
    series_following,
    series_preview,
)

__all__ = [
    "booking_cancel",
    "booking_complete",
    "booking_confirm",
    "booking_create",
    "booking_decline",
    "booking_mark_no_show",
    "booking_reschedule",
    "booking_update",
    "date_override_create",
    "date_override_delete",
    "date_override_set",
    "date_override_update",
    "series_cancel_following",
    "series_create",
    "series_following",
    "series_preview",
    "service_create",
    "service_deactivate",
    "service_update",
    "session_move",
    "time_off_create",
    "time_off_delete",
    "time_off_overlaps",
    "time_off_update",
    "weekly_interval_create",
    "weekly_interval_delete",
    "weekly_interval_update",
]
