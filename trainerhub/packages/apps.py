from django.apps import AppConfig


class PackagesConfig(AppConfig):
    name = "trainerhub.packages"
    label = "packages"
    verbose_name = "Session packages and credits"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from trainerhub.core.events import subscribe
        from trainerhub.packages import hooks

        for event, handler in hooks.booking_handlers().items():
            subscribe(event, handler)
        hooks.register_all()
