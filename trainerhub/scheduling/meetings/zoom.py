"""Zoom's REST API through a Server-to-Server OAuth app of the operator's account.

Base URLs come from settings (`ZOOM_OAUTH_BASE`, `ZOOM_API_BASE`) so the tests run against a
local stand-in. The access token is cached until shortly before it expires (in the cache, so
every worker shares it); a 401 drops it and asks once more with a fresh one. A 429, a 5xx or
no answer raise `ZoomRetry` (the task queue tries again later), any other refusal
`ZoomRefused`. Every call is logged with its method, path, status and time: never the
token, the client secret or a meeting's join link (it carries the meeting's password)."""

from __future__ import annotations

import hashlib
import logging
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import httpx
from django.core.cache import cache

from trainerhub.scheduling.meetings.conf import conf

logger = logging.getLogger("trainerhub.meetings.zoom")

TIMEOUT_SECONDS = 15.0
# A token is used until this many seconds before Zoom says it expires.
TOKEN_MARGIN_SECONDS = 60


class ZoomError(Exception):
    """A call that did not do what was asked; `str()` is safe to show and to log."""


class ZoomRetry(ZoomError):
    """Worth trying again later (rate limit, Zoom's own error, no answer)."""

    def __init__(self, message: str, *, after_seconds: int = 0) -> None:
        super().__init__(message)
        self.after_seconds = after_seconds


class ZoomRefused(ZoomError):
    """Zoom refused the request itself (bad credentials, no such user): not retried."""


@dataclass(frozen=True)
class Meeting:
    id: str
    join_url: str


# Each call appends {method, path, status, ms} here too, for the task's own log.
Trail = list[dict[str, Any]]


def _token_key() -> str:
    who = f"{conf('ZOOM_OAUTH_BASE')}|{conf('ZOOM_ACCOUNT_ID')}|{conf('ZOOM_CLIENT_ID')}"
    return "meetings:zoom:token:" + hashlib.sha256(who.encode()).hexdigest()[:32]


def _record(trail: Trail, method: str, path: str, status: int | None, started: float) -> None:
    entry = {
        "method": method,
        "path": path,
        "status": status,
        "ms": int((time.monotonic() - started) * 1000),
    }
    trail.append(entry)
    logger.info("zoom call", extra=entry)


def _fetch_token(trail: Trail) -> str:
    started = time.monotonic()
    path = "/oauth/token"
    try:
        response = httpx.post(
            f"{conf('ZOOM_OAUTH_BASE')}{path}",
            params={"grant_type": "account_credentials", "account_id": conf("ZOOM_ACCOUNT_ID")},
            auth=(conf("ZOOM_CLIENT_ID"), conf("ZOOM_CLIENT_SECRET")),
            timeout=TIMEOUT_SECONDS,
        )
    except httpx.HTTPError as exc:
        _record(trail, "POST", path, None, started)
        raise ZoomRetry(f"Zoom's sign-in did not answer ({type(exc).__name__}).") from None
    _record(trail, "POST", path, response.status_code, started)
    _raise_for(response, "Zoom's sign-in")
    body = response.json()
    token = str(body["access_token"])
    lifetime = int(body.get("expires_in", 3600)) - TOKEN_MARGIN_SECONDS
    if lifetime > 0:
        cache.set(_token_key(), token, timeout=lifetime)
    return token


def _token(trail: Trail) -> str:
    return cache.get(_token_key()) or _fetch_token(trail)


def _raise_for(response: httpx.Response, what: str) -> None:
    code = response.status_code
    if response.is_success:
        return
    if code == 429 or code >= 500:
        after = response.headers.get("Retry-After", "")
        raise ZoomRetry(
            f"{what} answered {code}; trying again later.",
            after_seconds=int(after) if after.isdigit() else 0,
        )
    raise ZoomRefused(f"{what} refused the request ({code}): {_reason(response)}")


def _reason(response: httpx.Response) -> str:
    try:
        return str(response.json().get("message", ""))[:200]
    except ValueError:
        return ""


def _call(method: str, path: str, trail: Trail, body: dict[str, Any] | None = None) -> Any:
    """One API call; on a 401 the cached token is dropped and the call made once more."""
    for fresh in (False, True):
        token = _fetch_token(trail) if fresh else _token(trail)
        started = time.monotonic()
        try:
            response = httpx.request(
                method,
                f"{conf('ZOOM_API_BASE')}{path}",
                json=body,
                headers={"Authorization": f"Bearer {token}"},
                timeout=TIMEOUT_SECONDS,
            )
        except httpx.HTTPError as exc:
            _record(trail, method, path, None, started)
            raise ZoomRetry(f"Zoom did not answer ({type(exc).__name__}).") from None
        _record(trail, method, path, response.status_code, started)
        if response.status_code == 401 and not fresh:
            cache.delete(_token_key())
            continue
        return response
    return response


def _when(start: datetime) -> str:
    return start.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def create_meeting(*, topic: str, start: datetime, minutes: int, trail: Trail) -> Meeting:
    body = {
        "topic": topic[:200],
        "type": 2,  # a scheduled meeting
        "start_time": _when(start),
        "timezone": "UTC",
        "duration": minutes,
        "settings": {"join_before_host": False, "waiting_room": True},
    }
    response = _call("POST", f"/v2/users/{conf('ZOOM_USER_ID')}/meetings", trail, body)
    _raise_for(response, "Zoom")
    data = response.json()
    return Meeting(id=str(data["id"]), join_url=str(data["join_url"]))


def update_meeting(meeting_id: str, *, start: datetime, minutes: int, trail: Trail) -> bool:
    """Move the meeting; False when Zoom no longer has it (404)."""
    body = {"start_time": _when(start), "timezone": "UTC", "duration": minutes}
    response = _call("PATCH", f"/v2/meetings/{meeting_id}", trail, body)
    if response.status_code == 404:
        return False
    _raise_for(response, "Zoom")
    return True


def delete_meeting(meeting_id: str, *, trail: Trail) -> None:
    """Delete the meeting; one Zoom no longer has (404) is already what was asked."""
    response = _call("DELETE", f"/v2/meetings/{meeting_id}", trail)
    if response.status_code != 404:
        _raise_for(response, "Zoom")
