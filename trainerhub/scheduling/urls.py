from django.urls import path

from trainerhub.scheduling import views

app_name = "scheduling"
urlpatterns = [
    path("calendar/", views.calendar, name="calendar"),
    path("calendar/events/", views.calendar_events, name="calendar_events"),
    path("calendar/sessions/<int:pk>/", views.session_panel, name="session_panel"),
    path("calendar/sessions/<int:pk>/move/", views.session_move, name="session_move"),
    path("bookings/", views.booking_list, name="bookings"),
    path("bookings/new/", views.booking_new, name="booking_new"),
    path("bookings/new/slots/", views.booking_slots, name="booking_slots"),
    path("bookings/new/clients/", views.client_options, name="client_options"),
    path("bookings/new/repeat/", views.series_preview, name="series_preview"),
    path("bookings/<int:pk>/", views.booking_detail, name="booking_detail"),
    path("bookings/<int:pk>/move/", views.booking_move, name="booking_move"),
    path("bookings/<int:pk>/cancel/", views.booking_cancel, name="booking_cancel"),
    path("bookings/<int:pk>/reschedule/", views.booking_reschedule, name="booking_reschedule"),
    path("bookings/<int:pk>/<str:action>/", views.booking_action, name="booking_action"),
    path("settings/hours/", views.hours, name="hours"),
    path("settings/automation/", views.automation, name="automation"),
    path("settings/hours/add/", views.hours_add, name="hours_add"),
    path("settings/hours/<int:pk>/delete/", views.hours_delete, name="hours_delete"),
    path("settings/overrides/", views.overrides, name="overrides"),
    path("settings/overrides/<int:pk>/delete/", views.override_delete, name="override_delete"),
    path("settings/time-off/", views.time_off, name="time_off"),
    path("settings/time-off/<int:pk>/delete/", views.time_off_delete, name="time_off_delete"),
    path("settings/services/", views.service_list, name="services"),
    path("settings/services/new/", views.service_create, name="service_create"),
    path("settings/services/<int:pk>/", views.service_edit, name="service_edit"),
    path(
        "settings/services/<int:pk>/deactivate/",
        views.service_deactivate,
        name="service_deactivate",
    ),
    path("settings/services/<int:pk>/activate/", views.service_activate, name="service_activate"),
    path("settings/services/<int:pk>/addons/", views.addon_add, name="addon_add"),
    path("settings/addons/<int:pk>/toggle/", views.addon_toggle, name="addon_toggle"),
    path("settings/addons/<int:pk>/remove/", views.addon_remove, name="addon_remove"),
    path("settings/discounts/", views.discount_list, name="discounts"),
    path("settings/discounts/<int:pk>/", views.discount_edit, name="discount_edit"),
    path(
        "settings/discounts/<int:pk>/deactivate/",
        views.discount_deactivate,
        name="discount_deactivate",
    ),
    path(
        "settings/discounts/<int:pk>/activate/", views.discount_activate, name="discount_activate"
    ),
    path("bookings/new/price/", views.booking_price, name="booking_price"),
]
