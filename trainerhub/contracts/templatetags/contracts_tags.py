"""Small includes other apps' pages show (booking panel, client page, portal), so their views
need not import contracts: `{% load contracts_tags %}{% booking_contracts booking %}`."""

from __future__ import annotations

from typing import Any

from django import template

from trainerhub.contracts import selectors

register = template.Library()


def _with_send_form(context: Any, trainer: int, contracts: list[Any]) -> dict[str, Any]:
    request = context.get("request")
    return {
        "contracts": contracts,
        "templates": list(selectors.active_templates(trainer=trainer)),
        "csrf_token": context.get("csrf_token"),
        "next": request.get_full_path() if request is not None else "",
    }


@register.inclusion_tag("contracts/_booking_contracts.html", takes_context=True)
def booking_contracts(context: Any, booking: Any) -> dict[str, Any]:
    rows = selectors.contracts_for_booking(trainer=booking.trainer_id, booking=booking)
    return {
        "booking": booking,
        "client": None,
        "form_id": f"send-template-b{booking.pk}",
        **_with_send_form(context, booking.trainer_id, rows),
    }


def client_section(request: Any, client: Any) -> str:
    """The client page's card (clients.sections, registered at ready())."""
    from django.middleware.csrf import get_token
    from django.template.loader import render_to_string

    rows = selectors.contracts_for_client(trainer=client.trainer_id, client=client)
    context = {"request": request, "csrf_token": get_token(request)}
    return render_to_string(
        "contracts/_client_contracts.html",
        {
            "client": client,
            "booking": None,
            "form_id": f"send-template-c{client.pk}",
            **_with_send_form(context, client.trainer_id, rows),
        },
        request=request,
    )


@register.inclusion_tag("contracts/_portal_contracts.html")
def portal_contracts(user: Any) -> dict[str, Any]:
    return {
        "waiting": selectors.open_contracts_for_account(user=user),
        "signed": selectors.signed_contracts_for_account(user=user),
    }


@register.inclusion_tag("contracts/_session_contracts.html")
def session_contracts(bookings: Any) -> dict[str, Any]:
    bookings = list(bookings)
    if not bookings:
        return {"contracts": []}
    return {
        "contracts": selectors.contracts_for_bookings(
            trainer=bookings[0].trainer_id, bookings=bookings
        )
    }
