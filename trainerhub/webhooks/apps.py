from django.apps import AppConfig


class WebhooksConfig(AppConfig):
    """Outgoing webhooks: a trainer's endpoints, signed deliveries through the outbox, their log."""

    name = "trainerhub.webhooks"
    label = "webhooks"
