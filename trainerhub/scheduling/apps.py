from django.apps import AppConfig


class SchedulingConfig(AppConfig):
    name = "trainerhub.scheduling"
    label = "scheduling"
