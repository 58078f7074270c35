from django.apps import AppConfig


class ClientsConfig(AppConfig):
    name = "trainerhub.clients"
    label = "clients"
