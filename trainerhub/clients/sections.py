"""Sections that apps above the CRM add to a client's page (packages, money...).

The client page (clients/views.py `client_detail`) shows, below the sessions, whatever each
registered section renders for the client; the apps register theirs at
`AppConfig.ready()`, so the CRM never imports them (the layers contract). A section answers
the HTML of one card (rendered with the request, so csrf and the viewer's zone apply), or ""
when it has nothing to show.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from django.utils.safestring import SafeString

if TYPE_CHECKING:
    from django.http import HttpRequest

    from trainerhub.clients.models import Client

Section = Callable[["HttpRequest", "Client"], str]
SECTIONS: list[Section] = []


def section_add(section: Section) -> None:
    if section not in SECTIONS:
        SECTIONS.append(section)


def render_sections(request: HttpRequest, client: Client) -> list[SafeString]:
    return [SafeString(html) for html in (section(request, client) for section in SECTIONS) if html]
