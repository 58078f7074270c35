from django.apps import AppConfig


class CalendarsConfig(AppConfig):
    name = "trainerhub.calendars"
    label = "calendars"
    verbose_name = "Your own calendars"
    default_auto_field = "django.db.models.BigAutoField"
