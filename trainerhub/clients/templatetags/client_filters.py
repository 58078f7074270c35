"""The client list's filters that higher apps register (the risk levels of insights)."""

from __future__ import annotations

from django import template

from trainerhub.clients import selectors

register = template.Library()


@register.simple_tag
def risk_levels() -> tuple[tuple[str, str], ...]:
    return selectors.risk_levels()
