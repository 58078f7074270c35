"""SMS through Twilio's REST API (Messages resource), with Basic auth.

A trainer may connect their own Twilio account (`SmsAccount`, on the notification settings
page); their texts then go from their number. Otherwise the operator's account from the
environment (TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN, TWILIO_FROM_NUMBER) sends, when set.
"""

from __future__ import annotations

from dataclasses import dataclass

import httpx
from django.conf import settings

from trainerhub.notifications.channels.base import Outgoing, SendError

TIMEOUT = 15.0


@dataclass(frozen=True)
class Credentials:
    account_sid: str
    auth_token: str
    from_number: str
    own: bool  # the trainer's own account, not the operator's


def _operator() -> Credentials | None:
    sid, token = settings.TWILIO_ACCOUNT_SID, settings.TWILIO_AUTH_TOKEN
    number = settings.TWILIO_FROM_NUMBER
    return Credentials(sid, token, number, own=False) if sid and token and number else None


def credentials_for(trainer_id: int | None) -> Credentials | None:
    """The account that sends this trainer's texts: their own, else the operator's."""
    if trainer_id is not None:
        from trainerhub.notifications.models import SmsAccount

        account = SmsAccount.objects.filter(trainer_id=trainer_id).first()
        if account is not None:
            return Credentials(
                account.account_sid, account.auth_token, account.from_number, own=True
            )
    return _operator()


def is_configured(trainer_id: int | None = None) -> bool:
    return credentials_for(trainer_id) is not None


def why_off() -> str:
    if is_configured():
        return ""
    return (
        "Connect your own Twilio account below, or (whoever runs this server) set "
        "TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN and TWILIO_FROM_NUMBER."
    )


def send(out: Outgoing, *, trainer_id: int | None = None) -> str:
    creds = credentials_for(trainer_id)
    if creds is None:
        raise SendError("No Twilio account is set up.", permanent=True)
    return send_with(out, creds)


def send_with(out: Outgoing, creds: Credentials) -> str:
    sid = creds.account_sid
    url = f"{settings.TWILIO_API_BASE.rstrip('/')}/2010-04-01/Accounts/{sid}/Messages.json"
    data = {"To": out.to, "From": creds.from_number, "Body": out.short_text or out.text}
    try:
        response = httpx.post(url, data=data, auth=(sid, creds.auth_token), timeout=TIMEOUT)
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


def check_account(creds: Credentials) -> str:
    """Ask Twilio whether the account and token work (GET the account): "" when they do,
    else what Twilio said, in words for the trainer. Sends nothing."""
    sid = creds.account_sid
    url = f"{settings.TWILIO_API_BASE.rstrip('/')}/2010-04-01/Accounts/{sid}.json"
    try:
        response = httpx.get(url, auth=(sid, creds.auth_token), timeout=TIMEOUT)
    except httpx.HTTPError:
        return "Twilio could not be reached; try again in a moment."
    if response.status_code == 200:
        return ""
    if response.status_code in (401, 403, 404):
        return "Twilio refused this account SID and auth token: check both in Twilio's console."
    return f"Twilio answered {response.status_code}; try again in a moment."


def _json(response: httpx.Response) -> dict:
    try:
        body = response.json()
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}
