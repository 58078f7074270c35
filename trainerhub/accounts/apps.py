from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "trainerhub.accounts"
    label = "accounts"
