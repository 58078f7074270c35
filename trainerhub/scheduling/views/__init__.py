"""The scheduling pages, split by area (calendar, bookings, settings); URLs import from here."""

from trainerhub.scheduling.views.automation import automation  # noqa: F401
from trainerhub.scheduling.views.bookings import (  # noqa: F401
    booking_action,
    booking_cancel,
    booking_detail,
    booking_list,
    booking_new,
    booking_reschedule,
    booking_slots,
    client_options,
    series_preview,
)
from trainerhub.scheduling.views.calendar import (  # noqa: F401
    booking_move,
    calendar,
    calendar_events,
    session_move,
    session_panel,
)
from trainerhub.scheduling.views.pricing import (  # noqa: F401
    addon_add,
    addon_remove,
    addon_toggle,
    booking_price,
    discount_activate,
    discount_deactivate,
    discount_edit,
    discount_list,
)
from trainerhub.scheduling.views.settings import (  # noqa: F401
    hours,
    hours_add,
    hours_delete,
    override_delete,
    overrides,
    service_activate,
    service_create,
    service_deactivate,
    service_edit,
    service_list,
    time_off,
    time_off_delete,
)
