"""Every call to Paddle Billing's API goes through here; its base URL is PADDLE_API_BASE, so
tests run it against a local server that answers like Paddle."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote, urlsplit

import httpx

from trainerhub.core.errors import Conflict
from trainerhub.plans import conf

TIMEOUT = 15.0
UNAVAILABLE = "paddle_unavailable"


def _headers() -> dict[str, str]:
    return {"Authorization": f"Bearer {conf.api_key()}", "Content-Type": "application/json"}


def _call(method: str, path: str, body: dict[str, Any] | None = None) -> dict[str, Any]:
    if not conf.api_key():
        raise Conflict("Payments for plans are not set up on this server.", code=UNAVAILABLE)
    try:
        response = httpx.request(
            method, f"{conf.api_base()}{path}", json=body, headers=_headers(), timeout=TIMEOUT
        )
    except httpx.HTTPError as exc:
        raise Conflict("Paddle could not be reached; try again.", code=UNAVAILABLE) from exc
    if response.status_code >= 300:
        raise Conflict(f"Paddle answered {response.status_code}; try again.", code=UNAVAILABLE)
    try:
        data = response.json().get("data")
    except (ValueError, AttributeError):
        data = None
    if not isinstance(data, dict):
        raise Conflict("Paddle's answer was not understood; try again.", code=UNAVAILABLE)
    return data


def _web_url(value: Any) -> str:
    url = str(value or "")
    if urlsplit(url).scheme not in {"https", "http"}:
        raise Conflict("Paddle gave no payment link; try again.", code=UNAVAILABLE)
    return url


def checkout_link(*, price_id: str, trainer_id: int, customer_id: str = "") -> str:
    """POST /transactions for one item of `price_id`: its checkout.url opens the payment."""
    body: dict[str, Any] = {
        "items": [{"price_id": price_id, "quantity": 1}],
        "custom_data": {"trainer_id": str(trainer_id)},
        "collection_mode": "automatic",
    }
    if customer_id:
        body["customer_id"] = customer_id
    data = _call("POST", "/transactions", body)
    return _web_url((data.get("checkout") or {}).get("url"))


def invoice_link(*, transaction_id: str) -> str:
    """GET /transactions/{id}/invoice: a short-lived link to the invoice PDF."""
    path = f"/transactions/{quote(transaction_id, safe='')}/invoice"
    return _web_url(_call("GET", path).get("url"))
