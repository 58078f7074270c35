"""Coaching's card on the CRM client page (clients.sections, registered at ready())."""

from __future__ import annotations

from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone

from trainerhub.coaching import selectors


def client_card(request: Any, client: Any) -> str:
    # The client page has already checked that this client is the signed-in trainer's.
    return render_to_string(
        "coaching/_client_panel.html",
        {
            "client": client,
            "adherence": selectors.adherence_for_client(client=client, today=timezone.localdate()),
            "programs": list(
                selectors.client_programs_for_trainer(trainer=client.trainer_id, client=client)[:5]
            ),
        },
        request=request,
    )
