from django.urls import path

from trainerhub.calendars import api

urlpatterns = [
    path("calendars/", api.CalendarListApi.as_view(), name="api-calendars"),
    path("calendars/<int:pk>/", api.CalendarDetailApi.as_view(), name="api-calendar"),
    path(
        "calendars/<int:pk>/refresh", api.CalendarRefreshApi.as_view(), name="api-calendar-refresh"
    ),
]
