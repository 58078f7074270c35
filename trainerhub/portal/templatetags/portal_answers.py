"""The client page's "new answers from a public booking: apply / ignore" box (portal.answers).

A template tag, so the client page shows the box without the clients app importing the
portal (layers point down)."""

from __future__ import annotations

from typing import Any

from django import template

from trainerhub.portal.answers import pending_answers_for_client

register = template.Library()


@register.inclusion_tag("portal/_booking_answers.html")
def booking_answers(client: Any) -> dict[str, Any]:
    # The client page has already checked that this client is the signed-in trainer's.
    rows = list(pending_answers_for_client(trainer=client.trainer_id, client=client))
    return {"client": client, "rows": rows}
