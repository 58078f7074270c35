from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "trainerhub.notifications"
    label = "notifications"

    def ready(self) -> None:
        from trainerhub.core.events import subscribe
        from trainerhub.notifications.outbox import HANDLERS

        for event, handler in HANDLERS.items():
            subscribe(event, handler)
