"""The client's packages on their portal page ("My appointments"): one inclusion tag, so the
portal's template names it without the portal's view knowing about packages."""

from __future__ import annotations

from typing import Any

from django import template

from trainerhub.packages.selectors import packages_of_account

register = template.Library()


@register.inclusion_tag("packages/_portal_packages.html")
def portal_packages(user: Any) -> dict[str, Any]:
    return {"items": packages_of_account(user=user)}
