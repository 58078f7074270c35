from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "trainerhub.portal"
    label = "portal"
