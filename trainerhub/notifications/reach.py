"""How a client reaches their sessions outside our pages: their private calendar feed and
the Telegram deep link that connects their chat. Shown on the manage page, on "My
appointments" and in the confirmation email, so every client can find both."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from trainerhub.clients.models import Client
from trainerhub.notifications.channels import is_on, telegram
from trainerhub.notifications.prefs import client_links
from trainerhub.notifications.services import (
    TELEGRAM_CODE_TTL,
    client_feed_url,
    telegram_link_for_client,
)

# A code with less than this left is replaced rather than shown (or mailed) again.
TELEGRAM_CODE_MIN_LEFT = TELEGRAM_CODE_TTL / 7


@dataclass(frozen=True)
class ClientReach:
    feed_url: str
    # "" when Telegram is off on this server or the client's chat is already connected.
    telegram_url: str
    telegram_linked: bool


def telegram_link_current(client: Client) -> str:
    """The client's live Telegram deep link, reused while it has time left: a page view must
    not void the link the confirmation email gave them minutes ago."""
    links = client_links(client)
    if links is not None and links.telegram_chat_id:
        return ""
    fresh_since = timezone.now() - (TELEGRAM_CODE_TTL - TELEGRAM_CODE_MIN_LEFT)
    if (
        links is not None
        and links.telegram_link_code
        and links.telegram_code_created_at
        and links.telegram_code_created_at >= fresh_since
    ):
        if not is_on("telegram", client.trainer_id):
            return ""
        return telegram.deep_link(links.telegram_link_code, trainer_id=client.trainer_id)
    return telegram_link_for_client(client=client) or ""


def client_reach(client: Client) -> ClientReach:
    links = client_links(client)
    return ClientReach(
        feed_url=client_feed_url(client=client),
        telegram_url=telegram_link_current(client),
        telegram_linked=bool(links and links.telegram_chat_id),
    )


def reaches_for_account(user) -> list[tuple[Any, ClientReach]]:
    """(trainer, reach) for each client record of a client account: one feed and one
    Telegram link per trainer they book with."""
    clients = Client.objects.filter(account=user).select_related("trainer").order_by("pk")
    return [(client.trainer, client_reach(client)) for client in clients]


def sample_reach(site_url: str) -> ClientReach:
    """For the message preview, whose sample client is not saved."""
    return ClientReach(
        feed_url=f"{site_url}/calendar/sample-feed.ics",
        telegram_url="https://t.me/YourBot?start=sample" if is_on("telegram") else "",
        telegram_linked=False,
    )
