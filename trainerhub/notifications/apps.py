from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "trainerhub.notifications"
    label = "notifications"

    def ready(self) -> None:
        from trainerhub.clients.selectors import timeline_source_add
        from trainerhub.core.events import subscribe
        from trainerhub.notifications import client_centre, privacy
        from trainerhub.notifications.outbox import HANDLERS
        from trainerhub.notifications.selectors import client_message_entries

        for event, handler in HANDLERS.items():
            subscribe(event, handler)
        # After the outbox's: the client's in-app lines (their portal's centre).
        for event, handler in client_centre.HANDLERS.items():
            subscribe(event, handler)
        privacy.register()
        # The CRM's client timeline shows the messages sent; clients may not import us.
        timeline_source_add(client_message_entries)
