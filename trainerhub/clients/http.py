"""What the CRM's pages and API share about HTTP: the list filters of a query string, the export
download and the response that serves an uploaded file (page views may not import the API)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.http import FileResponse, HttpResponse

from trainerhub.accounts.models import User
from trainerhub.clients import exporting, selectors
from trainerhub.clients.models import Client
from trainerhub.core.errors import InvalidInput
from trainerhub.core.validation import flag_from_text


def _bool_param(value: str | None, name: str = "upcoming") -> bool | None:
    try:
        return flag_from_text(value)
    except ValidationError as exc:
        raise InvalidInput({name: list(exc.messages)}) from None


def search_params(params: Any) -> dict[str, Any]:
    """The list filters of a query string, checked (shared by the API and the pages)."""
    errors: dict[str, list[str]] = {}
    status_value = params.get("status") or None
    if status_value and status_value not in [*Client.Status.values, "all"]:
        errors["status"] = ["Choose active, inactive, archived or all."]
    ordering = params.get("ordering") or "name"
    if ordering not in selectors.ORDERINGS:
        errors["ordering"] = [f"Choose one of: {', '.join(selectors.ORDERINGS)}."]
    days = params.get("no_visit_days") or None
    if days is not None:
        if not str(days).isdigit() or int(days) > 3650:
            errors["no_visit_days"] = ["Give a number of days between 0 and 3650."]
        else:
            days = int(days)
    risk = params.get("risk") or None
    if risk is not None and risk not in dict(selectors.risk_levels()):
        errors["risk"] = ["Choose one of the risk levels offered."]
    if errors:
        raise InvalidInput(errors)
    return {
        "risk": risk,
        "query": (params.get("search") or params.get("q") or "")[:200],
        "tag": params.get("tag") or None,
        "status": status_value,
        "ordering": ordering,
        "upcoming": _bool_param(params.get("upcoming")),
        "no_visit_days": days,
    }


def file_response(stored: Any) -> FileResponse:
    inline = stored.content_type.startswith("image/") or stored.content_type == "application/pdf"
    response = FileResponse(
        stored.file.open("rb"),
        as_attachment=not inline,
        filename=stored.name,
        content_type=stored.content_type,
    )
    # Served from our origin: never let an uploaded file run as a page.
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    response["Cache-Control"] = "private, no-store"
    return response


def export_response(trainer: User, params: Any) -> HttpResponse:
    """Clients (with the list's filters) or their bookings as CSV or .xlsx (pages share it)."""
    fmt = params.get("format") or "csv"
    kind = params.get("kind") or "clients"
    if fmt not in exporting.FORMATS:
        raise InvalidInput({"format": ["Choose csv or xlsx."]})
    if kind not in ("clients", "bookings"):
        raise InvalidInput({"kind": ["Choose clients or bookings."]})
    clients = selectors.clients_search(trainer=trainer, **search_params(params))
    tz_name = trainer.timezone or "UTC"
    if kind == "clients":
        headers, rows = exporting.clients_table(
            clients,
            tz_name=tz_name,
            include_health=_bool_param(params.get("include_health"), "include_health") is True,
        )
    else:
        bookings = selectors.bookings_of_clients(trainer=trainer, clients=clients)
        headers, rows = exporting.bookings_table(bookings, tz_name=tz_name)
    body, content_type = exporting.render(fmt, headers, rows, title=kind.capitalize())
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = (
        f'attachment; filename="{exporting.export_filename(kind, fmt)}"'
    )
    return response
