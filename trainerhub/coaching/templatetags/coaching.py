"""Coaching's template tags: filters for its own pages, and the boxes other apps' pages show
(the client page's coaching panel, the client list's "needs attention" flag, the dashboard's
card, the booking panel's "log workout") without those apps importing coaching."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils import timezone

from trainerhub.coaching import selectors
from trainerhub.coaching.units import plain, weight_from_kg

register = template.Library()

DAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


@register.filter
def weekday_names(days: list[int]) -> str:
    return ", ".join(DAY_NAMES[d] for d in days if 0 <= d <= 6)


@register.filter
def weekday_name(day: int) -> str:
    return DAY_NAMES[day] if 0 <= day <= 6 else ""


@register.filter
def in_unit(kg: Any, unit: str) -> str:
    return plain(weight_from_kg(kg, unit)) if kg is not None else ""


@register.filter
def percent(value: int | None) -> str:
    return "—" if value is None else f"{value} %"


@register.simple_tag
def coaching_attention(clients: Any) -> set[int]:
    """The ids among these clients (one page of the list) that need attention: a fixed
    number of queries for the whole page."""
    ids = [c.pk for c in clients]
    return selectors.needs_attention_ids(client_ids=ids, today=timezone.localdate())


@register.inclusion_tag("coaching/_client_panel.html")
def coaching_client_panel(client: Any) -> dict[str, Any]:
    # The client page has already checked that this client is the signed-in trainer's.
    today = timezone.localdate()
    return {
        "client": client,
        "adherence": selectors.adherence_for_client(client=client, today=today),
        "programs": list(
            selectors.client_programs_for_trainer(trainer=client.trainer_id, client=client)[:5]
        ),
    }


@register.inclusion_tag("coaching/_attention_card.html")
def coaching_attention_card(trainer: Any) -> dict[str, Any]:
    return {"rows": selectors.attention_clients(trainer=trainer, today=timezone.localdate())}


@register.inclusion_tag("coaching/_booking_log.html")
def coaching_log_workout(booking: Any) -> dict[str, Any]:
    return {"booking": booking}
