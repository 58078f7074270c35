from django.apps import AppConfig


class BillingConfig(AppConfig):
    name = "trainerhub.billing"
    label = "billing"
