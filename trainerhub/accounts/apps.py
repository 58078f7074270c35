from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "trainerhub.accounts"
    label = "accounts"

    def ready(self) -> None:
        # Registers the API's Bearer scheme with drf-spectacular (import has the side effect).
        from trainerhub.accounts import schema  # noqa: F401
