"""OAuth 2.0 for Google Calendar and Microsoft 365: authorization code with PKCE (S256).

The operator registers one OAuth app per provider and sets its client id and secret in the
environment (GOOGLE_CLIENT_ID, ..., MICROSOFT_TENANT); a provider without them is not offered.
Every URL comes from settings (calendars/conf.py: GOOGLE_AUTH_URL, GOOGLE_OAUTH_BASE,
MICROSOFT_LOGIN_BASE), so tests run the whole flow against a local stand-in. Tokens never
reach a log or an error text.
"""

from __future__ import annotations

import base64
import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlencode

import httpx

from trainerhub.calendars import conf
from trainerhub.calendars.models import Provider

TIMEOUT_SECONDS = 15.0
GOOGLE_SCOPES = (
    "openid",
    "email",
    "https://www.googleapis.com/auth/calendar.readonly",
    "https://www.googleapis.com/auth/calendar.events",
)
MICROSOFT_SCOPES = ("offline_access", "User.Read", "Calendars.ReadWrite")


class TokenRefused(Exception):
    """The provider refused the code or the refresh token: the trainer must connect again."""


class ProviderUnavailable(Exception):
    """The provider could not be reached or answered 429/5xx: try again later."""


@dataclass(frozen=True, slots=True)
class Tokens:
    access_token: str
    refresh_token: str
    expires_at: datetime


@dataclass(frozen=True, slots=True)
class Pkce:
    verifier: str
    challenge: str


def configured(provider: str) -> bool:
    if provider == Provider.GOOGLE:
        return bool(conf.get("GOOGLE_CLIENT_ID") and conf.get("GOOGLE_CLIENT_SECRET"))
    if provider == Provider.MICROSOFT:
        return bool(conf.get("MICROSOFT_CLIENT_ID") and conf.get("MICROSOFT_CLIENT_SECRET"))
    return False


def available() -> list[str]:
    """The providers the operator configured, in the order the page offers them."""
    return [p for p in Provider.values if configured(p)]


def new_pkce() -> Pkce:
    """A verifier of 64 URL-safe characters (RFC 7636 allows 43-128) and its S256 challenge."""
    verifier = secrets.token_urlsafe(48)
    return Pkce(verifier=verifier, challenge=challenge_of(verifier))


def challenge_of(verifier: str) -> str:
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def new_state() -> str:
    return secrets.token_urlsafe(32)


def authorization_url(provider: str, *, state: str, challenge: str, redirect_uri: str) -> str:
    params: dict[str, str] = {
        "client_id": _client(provider)[0],
        "response_type": "code",
        "redirect_uri": redirect_uri,
        "state": state,
        "code_challenge": challenge,
        "code_challenge_method": "S256",
    }
    if provider == Provider.GOOGLE:
        # offline + consent: Google sends a refresh token on every connection, not only the
        # first, so a reconnect after a revoke works.
        params |= {"scope": " ".join(GOOGLE_SCOPES), "access_type": "offline", "prompt": "consent"}
        return f"{conf.get('GOOGLE_AUTH_URL')}?{urlencode(params)}"
    params |= {"scope": " ".join(MICROSOFT_SCOPES), "response_mode": "query"}
    return f"{_microsoft_base()}/authorize?{urlencode(params)}"


def exchange_code(
    provider: str, *, code: str, verifier: str, redirect_uri: str, now: datetime
) -> Tokens:
    return _token_request(
        provider,
        {
            "grant_type": "authorization_code",
            "code": code,
            "code_verifier": verifier,
            "redirect_uri": redirect_uri,
        },
        now=now,
    )


def refresh(provider: str, *, refresh_token: str, now: datetime) -> Tokens:
    """New tokens from the refresh token; a provider that sends no new refresh token keeps
    the old one valid (Google), so it is kept."""
    if not refresh_token:
        raise TokenRefused("No refresh token was granted.")
    data = {"grant_type": "refresh_token", "refresh_token": refresh_token}
    if provider == Provider.MICROSOFT:
        data["scope"] = " ".join(MICROSOFT_SCOPES)
    tokens = _token_request(provider, data, now=now)
    if not tokens.refresh_token:
        return Tokens(tokens.access_token, refresh_token, tokens.expires_at)
    return tokens


def revoke(provider: str, *, token: str) -> bool:
    """Google's revoke endpoint ends the grant (the refresh token and its access tokens).
    Microsoft has no per-app token revocation: deleting the tokens is all we can do there.
    True when the provider confirmed; a failure does not stop the disconnect."""
    if provider != Provider.GOOGLE or not token:
        return False
    try:
        response = httpx.post(
            f"{conf.get('GOOGLE_OAUTH_BASE')}/revoke",
            data={"token": token},
            timeout=TIMEOUT_SECONDS,
        )
    except httpx.HTTPError:
        return False
    return response.is_success


def _client(provider: str) -> tuple[str, str]:
    if provider == Provider.GOOGLE:
        return conf.get("GOOGLE_CLIENT_ID"), conf.get("GOOGLE_CLIENT_SECRET")
    return conf.get("MICROSOFT_CLIENT_ID"), conf.get("MICROSOFT_CLIENT_SECRET")


def _microsoft_base() -> str:
    return f"{conf.get('MICROSOFT_LOGIN_BASE')}/{conf.get('MICROSOFT_TENANT')}/oauth2/v2.0"


def _token_url(provider: str) -> str:
    if provider == Provider.GOOGLE:
        return f"{conf.get('GOOGLE_OAUTH_BASE')}/token"
    return f"{_microsoft_base()}/token"


def _token_request(provider: str, data: dict[str, str], *, now: datetime) -> Tokens:
    client_id, client_secret = _client(provider)
    form = {**data, "client_id": client_id, "client_secret": client_secret}
    try:
        response = httpx.post(_token_url(provider), data=form, timeout=TIMEOUT_SECONDS)
    except httpx.HTTPError as exc:
        raise ProviderUnavailable(
            f"The sign-in service could not be reached ({type(exc).__name__})."
        ) from None
    if response.status_code == 429 or response.status_code >= 500:
        raise ProviderUnavailable(f"The sign-in service answered HTTP {response.status_code}.")
    body = _json(response)
    if response.status_code != 200 or "access_token" not in body:
        # invalid_grant and friends: the code was used or expired, the grant was revoked.
        raise TokenRefused(str(body.get("error") or f"HTTP {response.status_code}")[:100])
    return Tokens(
        access_token=str(body["access_token"]),
        refresh_token=str(body.get("refresh_token") or ""),
        expires_at=now + timedelta(seconds=int(body.get("expires_in") or 3600)),
    )


def _json(response: httpx.Response) -> dict[str, Any]:
    try:
        body = response.json()
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}
