"""The connected Google / Microsoft accounts on the calendars page and their warning on the
dashboard, as inclusion tags: those pages show them without building their context."""

from __future__ import annotations

from typing import Any

from django import template

from trainerhub.calendars import oauth, selectors
from trainerhub.calendars.models import Provider

register = template.Library()


@register.inclusion_tag("calendars/_connections.html", takes_context=True)
def calendar_connections(context: template.Context) -> dict[str, Any]:
    trainer = context["request"].user
    rows = list(selectors.connections_for_trainer(trainer=trainer))
    connected = {c.provider for c in rows}
    return {
        "request": context["request"],
        "csrf_token": context.get("csrf_token"),
        "CURRENT_TZ": context.get("CURRENT_TZ"),
        "connections": rows,
        "changes": selectors.calendar_changes(trainer=trainer),
        "offers": [
            {"provider": p, "label": Provider(p).label}
            for p in oauth.available()
            if p not in connected
        ],
    }


@register.inclusion_tag("calendars/_sync_warning.html", takes_context=True)
def calendar_sync_warning(context: template.Context) -> dict[str, Any]:
    attention, changed = selectors.sync_warnings(trainer=context["request"].user)
    return {"attention": attention, "changed": changed}
