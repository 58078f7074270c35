"""SMS through Twilio's REST API (Messages resource), with Basic auth."""

from __future__ import annotations

import httpx
from django.conf import settings

from trainerhub.notifications.channels.base import Outgoing, SendError

TIMEOUT = 15.0


def is_configured() -> bool:
    return bool(
        settings.TWILIO_ACCOUNT_SID and settings.TWILIO_AUTH_TOKEN and settings.TWILIO_FROM_NUMBER
    )


def why_off() -> str:
    if is_configured():
        return ""
    return "Set TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN and TWILIO_FROM_NUMBER to send SMS."


def send(out: Outgoing) -> str:
    sid = settings.TWILIO_ACCOUNT_SID
    url = f"{settings.TWILIO_API_BASE.rstrip('/')}/2010-04-01/Accounts/{sid}/Messages.json"
    data = {"To": out.to, "From": settings.TWILIO_FROM_NUMBER, "Body": out.short_text or out.text}
    try:
        response = httpx.post(
            url, data=data, auth=(sid, settings.TWILIO_AUTH_TOKEN), timeout=TIMEOUT
        )
    except httpx.HTTPError as exc:
        raise SendError(f"Twilio unreachable: {exc}") from exc
    body = _json(response)
    if response.status_code in (200, 201):
        return str(body.get("sid", ""))
    code, message = body.get("code"), body.get("message") or response.reason_phrase
    # 4xx other than throttling are the request's fault (bad number, unverified sender...):
    # trying again cannot help.
    permanent = 400 <= response.status_code < 500 and response.status_code != 429
    raise SendError(f"Twilio {response.status_code} (code {code}): {message}", permanent=permanent)


def _json(response: httpx.Response) -> dict:
    try:
        body = response.json()
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}
