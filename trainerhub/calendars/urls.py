from django.urls import path

from trainerhub.calendars import views, views_connections

app_name = "calendars"

urlpatterns = [
    path("", views.calendar_list, name="list"),
    path("<int:pk>/", views.calendar_edit, name="edit"),
    path("<int:pk>/refresh/", views.calendar_refresh, name="refresh"),
    path("<int:pk>/delete/", views.calendar_delete, name="delete"),
    # Google / Microsoft accounts (views_connections.py).
    path("connect/<str:provider>/", views_connections.connect_start, name="oauth_start"),
    path(
        "connect/<str:provider>/callback/",
        views_connections.connect_callback,
        name="oauth_callback",
    ),
    path("accounts/<int:pk>/", views_connections.connection_edit, name="connection"),
    path("accounts/<int:pk>/sync/", views_connections.connection_sync_now, name="connection_sync"),
    path(
        "accounts/<int:pk>/disconnect/",
        views_connections.connection_disconnect,
        name="connection_disconnect",
    ),
    path("changes/<int:pk>/dismiss/", views_connections.change_dismiss, name="change_dismiss"),
]
