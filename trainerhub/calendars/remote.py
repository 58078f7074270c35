"""Calling Google's and Microsoft's calendar APIs as a connected trainer: a fresh access token
on every call (refreshed shortly before it expires), one refresh and one retry on a 401, then
the connection is marked "reconnect needed". The shapes both providers are read into live
here too, so sync.py and push.py never see a provider's JSON."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import httpx
from django.conf import settings

from trainerhub.calendars import oauth
from trainerhub.calendars.models import Connection

logger = logging.getLogger("trainerhub.calendars")

# An access token this close to its expiry is refreshed before it is used.
REFRESH_AHEAD = timedelta(minutes=2)


class RemoteError(Exception):
    """A call failed; the message is for the trainer. `retry` is True for what passes
    (429, 5xx, no answer), `retry_after` the seconds the provider asked us to wait."""

    def __init__(
        self,
        message: str,
        *,
        status: int | None = None,
        retry: bool = False,
        retry_after: int | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.retry = retry
        self.retry_after = retry_after


class ReconnectNeeded(RemoteError):
    """The provider refused our tokens even after a refresh; the connection is marked."""


class SyncExpired(RemoteError):
    """The sync token or delta link is no longer valid (410 Gone): read everything again."""


class EventGone(RemoteError):
    """The event is not in the calendar any more (404/410)."""


@dataclass(frozen=True, slots=True)
class CalendarInfo:
    remote_id: str
    name: str
    primary: bool
    can_write: bool


@dataclass(frozen=True, slots=True)
class Item:
    """One changed event of a sync: deleted, or its times and whether it blocks."""

    remote_id: str
    deleted: bool
    start: datetime | None = None
    end: datetime | None = None
    blocks: bool = True
    booking_id: int | None = None  # ours: the booking id of our extended property


@dataclass(frozen=True, slots=True)
class Changes:
    items: list[Item]
    token: str  # the next sync token / delta link


@dataclass(frozen=True, slots=True)
class EventBody:
    booking_id: int
    summary: str
    description: str
    start: datetime
    end: datetime


def call(
    connection: Connection,
    method: str,
    url: str,
    *,
    now: datetime,
    params: dict[str, Any] | None = None,
    json: Any = None,
    headers: dict[str, str] | None = None,
) -> httpx.Response:
    """The response of any status but 401; a 401 after a refresh raises ReconnectNeeded."""
    if connection.expires_at - REFRESH_AHEAD <= now:
        refresh_tokens(connection, now=now)
    response = _send(connection, method, url, params=params, json=json, headers=headers)
    if response.status_code == 401:
        refresh_tokens(connection, now=now)
        response = _send(connection, method, url, params=params, json=json, headers=headers)
        if response.status_code == 401:
            raise mark_reconnect(connection, "refused our access even after a token refresh")
    return response


def refresh_tokens(connection: Connection, *, now: datetime) -> None:
    try:
        tokens = oauth.refresh(connection.provider, refresh_token=connection.refresh_token, now=now)
    except oauth.TokenRefused:
        raise mark_reconnect(
            connection, "no longer accepts our access (it was revoked or expired)"
        ) from None
    except oauth.ProviderUnavailable as exc:
        raise RemoteError(str(exc), retry=True) from None
    connection.access_token = tokens.access_token
    connection.refresh_token = tokens.refresh_token
    connection.expires_at = tokens.expires_at
    connection.save(update_fields=["access_token", "refresh_token", "expires_at"])


def mark_reconnect(connection: Connection, why: str) -> ReconnectNeeded:
    message = f"{connection.get_provider_display()} {why}: connect it again."
    connection.status = Connection.Status.RECONNECT
    connection.last_error = message[:300]
    connection.save(update_fields=["status", "last_error"])
    logger.warning(
        "calendar connection needs reconnecting",
        extra={"connection_id": connection.pk, "trainer_id": connection.trainer_id},
    )
    return ReconnectNeeded(message, status=401)


def failure(response: httpx.Response, what: str) -> RemoteError:
    """The error of a non-success answer, retryable for 429 and 5xx."""
    code = response.status_code
    # Google answers a rate limit with 403 and a reason; it passes like a 429.
    limited = code == 403 and "ratelimitexceeded" in response.text.lower()
    retry = code == 429 or code >= 500 or limited
    return RemoteError(
        f"{what} answered HTTP {code}.",
        status=code,
        retry=retry,
        retry_after=_retry_after(response) if retry else None,
    )


def json_of(response: httpx.Response) -> dict[str, Any]:
    try:
        body = response.json()
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}


def _send(
    connection: Connection,
    method: str,
    url: str,
    *,
    params: dict[str, Any] | None,
    json: Any,
    headers: dict[str, str] | None,
) -> httpx.Response:
    all_headers = {"Authorization": f"Bearer {connection.access_token}", **(headers or {})}
    try:
        return httpx.request(
            method,
            url,
            params=params,
            json=json,
            headers=all_headers,
            timeout=httpx.Timeout(settings.CALENDAR_FETCH_TIMEOUT),
        )
    except httpx.HTTPError as exc:
        raise RemoteError(
            f"{connection.get_provider_display()} could not be reached ({type(exc).__name__}).",
            retry=True,
        ) from None


def _retry_after(response: httpx.Response) -> int | None:
    """Seconds, the form Google and Graph send (an HTTP date is left to our own backoff)."""
    raw = response.headers.get("retry-after", "").strip()
    return int(raw) if raw.isdigit() else None
