"""The Billing link in the navigation and the lapsed-subscription banner, on every trainer
page, only while plans are on."""

from __future__ import annotations

from typing import Any

from django import template

from trainerhub.plans import conf, selectors

register = template.Library()


@register.inclusion_tag("plans/_nav_link.html", takes_context=True)
def plans_nav_link(context: dict[str, Any]) -> dict[str, Any]:
    request = context.get("request")
    return {"show": conf.enabled(), "path": getattr(request, "path", "")}


@register.inclusion_tag("plans/_banner.html", takes_context=True)
def plans_banner(context: dict[str, Any]) -> dict[str, Any]:
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"banner": None}
    return {"banner": selectors.banner_for(user)}
