from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "trainerhub.notifications"
    label = "notifications"

    def ready(self) -> None:
        from trainerhub.clients.selectors import timeline_source_add
        from trainerhub.core.events import subscribe
        from trainerhub.notifications.outbox import HANDLERS
        from trainerhub.notifications.selectors import client_message_entries

        for event, handler in HANDLERS.items():
            subscribe(event, handler)
        # The CRM's client timeline shows the messages sent; clients may not import us.
        timeline_source_add(client_message_entries)
