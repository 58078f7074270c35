from django.apps import AppConfig


class DashboardConfig(AppConfig):
    name = "trainerhub.dashboard"
    label = "dashboard"
