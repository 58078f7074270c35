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


@register.inclusion_tag("coaching/_attention_slot.html")
def coaching_attention_card(trainer: Any) -> dict[str, Any]:
    # Loaded after the page (htmx): the dashboard's own queries stay as they are.
    return {}


@register.inclusion_tag("coaching/_booking_log.html")
def coaching_log_workout(booking: Any) -> dict[str, Any]:
    return {"booking": booking}
