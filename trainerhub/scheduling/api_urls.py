from django.urls import path

from trainerhub.scheduling import api, api_bookings

urlpatterns = [
    path("services/", api.ServiceListApi.as_view(), name="api-services"),
    path("services/<int:pk>/", api.ServiceDetailApi.as_view(), name="api-service"),
    path("availability/weekly/", api.WeeklyListApi.as_view(), name="api-weekly"),
    path("availability/weekly/<int:pk>/", api.WeeklyDetailApi.as_view(), name="api-weekly-item"),
    path("availability/overrides/", api.OverrideListApi.as_view(), name="api-overrides"),
    path(
        "availability/overrides/<int:pk>/",
        api.OverrideDetailApi.as_view(),
        name="api-override",
    ),
    path("availability/time-off/", api.TimeOffListApi.as_view(), name="api-time-off"),
    path(
        "availability/time-off/<int:pk>/",
        api.TimeOffDetailApi.as_view(),
        name="api-time-off-item",
    ),
    path("slots/", api.SlotsApi.as_view(), name="api-slots"),
    path("bookings/", api_bookings.BookingListApi.as_view(), name="api-bookings"),
    path("bookings/recurring", api_bookings.BookingRecurringApi.as_view(), name="api-recurring"),
    path("bookings/<int:pk>/", api_bookings.BookingDetailApi.as_view(), name="api-booking"),
    path(
        "bookings/<int:pk>/cancel",
        api_bookings.BookingCancelApi.as_view(),
        name="api-booking-cancel",
    ),
    path(
        "bookings/<int:pk>/reschedule",
        api_bookings.BookingRescheduleApi.as_view(),
        name="api-booking-reschedule",
    ),
    path(
        "bookings/<int:pk>/confirm",
        api_bookings.BookingConfirmApi.as_view(),
        name="api-booking-confirm",
    ),
    path(
        "bookings/<int:pk>/decline",
        api_bookings.BookingDeclineApi.as_view(),
        name="api-booking-decline",
    ),
    path(
        "bookings/<int:pk>/complete",
        api_bookings.BookingCompleteApi.as_view(),
        name="api-booking-complete",
    ),
    path(
        "bookings/<int:pk>/no-show",
        api_bookings.BookingNoShowApi.as_view(),
        name="api-booking-no-show",
    ),
    path(
        "bookings/<int:pk>/history",
        api_bookings.BookingHistoryApi.as_view(),
        name="api-booking-history",
    ),
]
