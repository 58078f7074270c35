from django.urls import path

from trainerhub.portal import api

urlpatterns = [
    path(
        "public/<slug:slug>/services", api.PublicServicesApi.as_view(), name="api-public-services"
    ),
    path("public/<slug:slug>/slots", api.PublicSlotsApi.as_view(), name="api-public-slots"),
    path(
        "public/<slug:slug>/bookings", api.PublicBookingsApi.as_view(), name="api-public-bookings"
    ),
    path("manage/<str:token>", api.ManageApi.as_view(), name="api-manage"),
    path("manage/<str:token>/cancel", api.ManageCancelApi.as_view(), name="api-manage-cancel"),
    path(
        "manage/<str:token>/reschedule",
        api.ManageRescheduleApi.as_view(),
        name="api-manage-reschedule",
    ),
    path("client/login", api.ClientLoginApi.as_view(), name="api-client-login"),
    path("client/me", api.ClientMeApi.as_view(), name="api-client-me"),
    path("client/bookings", api.ClientBookingsApi.as_view(), name="api-client-bookings"),
    path("client/bookings/<int:pk>", api.ClientBookingApi.as_view(), name="api-client-booking"),
    path(
        "client/bookings/<int:pk>/cancel",
        api.ClientBookingCancelApi.as_view(),
        name="api-client-booking-cancel",
    ),
    path(
        "client/bookings/<int:pk>/reschedule",
        api.ClientBookingRescheduleApi.as_view(),
        name="api-client-booking-reschedule",
    ),
]
