"""Register (or remove) the Telegram webhook, instead of the worker's getUpdates polling."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.urls import reverse

from trainerhub.notifications.channels import SendError, telegram
from trainerhub.notifications.models import WorkerState
from trainerhub.notifications.views import telegram_webhook_secret


class Command(BaseCommand):
    help = "Point the Telegram bot at SITE_URL's webhook (--delete to go back to polling)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--delete", action="store_true")

    def handle(self, *args: Any, delete: bool = False, **opts: Any) -> None:
        if not telegram.is_configured():
            raise CommandError(telegram.why_off())
        try:
            if delete:
                telegram.call("deleteWebhook", {})
                WorkerState.objects.filter(key="telegram_webhook").delete()
                self.stdout.write("Webhook removed; the worker polls getUpdates again.")
                return
            path = reverse("notifications:telegram_webhook", args=[telegram_webhook_secret()])
            telegram.call("setWebhook", {"url": settings.SITE_URL + path})
        except SendError as exc:
            raise CommandError(exc.message) from exc
        WorkerState.objects.update_or_create(key="telegram_webhook", defaults={"value": "1"})
        self.stdout.write("Webhook set; the worker stops polling getUpdates.")
