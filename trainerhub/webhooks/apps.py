from django.apps import AppConfig


class WebhooksConfig(AppConfig):
    """Outgoing webhooks: a trainer's endpoints, signed deliveries sent by the worker, their log."""

    name = "trainerhub.webhooks"
    label = "webhooks"

    def ready(self) -> None:
        from trainerhub.core import periodic
        from trainerhub.core.events import subscribe
        from trainerhub.webhooks import delivery, privacy, services
        from trainerhub.webhooks.models import EVENTS

        for event in EVENTS:
            subscribe(event, services.on_event)
        periodic.register("webhooks.deliver_due", delivery.deliver_due)
        privacy.register()
