from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "trainerhub.core"
    label = "core"
