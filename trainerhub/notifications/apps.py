from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "trainerhub.notifications"
    label = "notifications"
