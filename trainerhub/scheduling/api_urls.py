from django.urls import path

from trainerhub.scheduling.api import (
    automation,
    availability,
    bookings,
    pricing,
    sessions,
    slots,
)

urlpatterns = [
    path(
        "settings/scheduling",
        automation.SchedulingSettingsApi.as_view(),
        name="api-scheduling-settings",
    ),
    path("services/", availability.ServiceListApi.as_view(), name="api-services"),
    path("services/<int:pk>/", availability.ServiceDetailApi.as_view(), name="api-service"),
    path("services/<int:pk>/addons/", pricing.ServiceAddonListApi.as_view(), name="api-addons"),
    path("addons/<int:pk>/", pricing.AddonDetailApi.as_view(), name="api-addon"),
    path("discounts/", pricing.DiscountListApi.as_view(), name="api-discounts"),
    path("discounts/<int:pk>/", pricing.DiscountDetailApi.as_view(), name="api-discount"),
    path("availability/weekly/", availability.WeeklyListApi.as_view(), name="api-weekly"),
    path(
        "availability/weekly/<int:pk>/",
        availability.WeeklyDetailApi.as_view(),
        name="api-weekly-item",
    ),
    path("availability/overrides/", availability.OverrideListApi.as_view(), name="api-overrides"),
    path(
        "availability/overrides/<int:pk>/",
        availability.OverrideDetailApi.as_view(),
        name="api-override",
    ),
    path("availability/time-off/", availability.TimeOffListApi.as_view(), name="api-time-off"),
    path(
        "availability/time-off/<int:pk>/",
        availability.TimeOffDetailApi.as_view(),
        name="api-time-off-item",
    ),
    path("slots/", slots.SlotsApi.as_view(), name="api-slots"),
    path("slots/explain", slots.SlotExplainApi.as_view(), name="api-slots-explain"),
    path("sessions/<int:pk>/move", sessions.SessionMoveApi.as_view(), name="api-session-move"),
    path("bookings/", bookings.BookingListApi.as_view(), name="api-bookings"),
    path("bookings/recurring", bookings.BookingRecurringApi.as_view(), name="api-recurring"),
    path("bookings/<int:pk>/", bookings.BookingDetailApi.as_view(), name="api-booking"),
    path(
        "bookings/<int:pk>/cancel",
        bookings.BookingCancelApi.as_view(),
        name="api-booking-cancel",
    ),
    path(
        "bookings/<int:pk>/reschedule",
        bookings.BookingRescheduleApi.as_view(),
        name="api-booking-reschedule",
    ),
    path(
        "bookings/<int:pk>/confirm",
        bookings.BookingConfirmApi.as_view(),
        name="api-booking-confirm",
    ),
    path(
        "bookings/<int:pk>/decline",
        bookings.BookingDeclineApi.as_view(),
        name="api-booking-decline",
    ),
    path(
        "bookings/<int:pk>/complete",
        bookings.BookingCompleteApi.as_view(),
        name="api-booking-complete",
    ),
    path(
        "bookings/<int:pk>/no-show",
        bookings.BookingNoShowApi.as_view(),
        name="api-booking-no-show",
    ),
    path(
        "bookings/<int:pk>/history",
        bookings.BookingHistoryApi.as_view(),
        name="api-booking-history",
    ),
]
