from django.urls import path

from trainerhub.calendars import views

app_name = "calendars"

urlpatterns = [
    path("", views.calendar_list, name="list"),
    path("<int:pk>/", views.calendar_edit, name="edit"),
    path("<int:pk>/refresh/", views.calendar_refresh, name="refresh"),
    path("<int:pk>/delete/", views.calendar_delete, name="delete"),
]
