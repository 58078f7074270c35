"""Fetching a trainer's calendar URL: conditional GET, timeouts, a size limit, SSRF guard.

The URL is a secret (it reads the whole calendar): errors and logs name only `masked(url)`.
A trainer-typed URL is fetched by our server, so its host is resolved first and loopback,
private, link-local and reserved addresses are refused (each redirect hop too), unless
CALENDAR_ALLOW_PRIVATE is set; plain http is accepted only then as well.
"""

from __future__ import annotations

import ipaddress
import socket
from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit

import httpx
from django.conf import settings

_MAX_REDIRECTS = 3
_ACCEPT = "text/calendar, application/calendar+xml;q=0.5, */*;q=0.1"


class FetchError(Exception):
    """The calendar could not be read; the message is for the trainer (no secret in it)."""


@dataclass(frozen=True, slots=True)
class Fetched:
    not_modified: bool
    body: bytes = b""
    etag: str = ""
    last_modified: str = ""


def normalise_url(raw: str) -> str:
    """webcal:// is how calendar apps spell https://; anything but http(s) is refused."""
    url = raw.strip()
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme in ("webcal", "webcals"):
        parts = parts._replace(scheme="https")
    elif scheme not in ("https", "http"):
        raise FetchError("Use the calendar's https:// or webcal:// address.")
    if not parts.hostname:
        raise FetchError("This address has no host name.")
    if parts.scheme == "http" and not settings.CALENDAR_ALLOW_PRIVATE:
        raise FetchError("Use the calendar's https:// address (plain http is not accepted).")
    return urlunsplit(parts)


def masked(url: str) -> str:
    """scheme://host/…last four characters of the path (before a trailing basic.ics or .ics,
    the same on every calendar): enough to tell two calendars apart, useless to a reader."""
    parts = urlsplit(url)
    path = parts.path.removesuffix("/basic.ics").removesuffix(".ics").rstrip("/")
    tail = path[-4:] if len(path) > 12 else ""
    return f"{parts.scheme}://{parts.hostname or ''}/…{tail}"


def check_host(url: str) -> None:
    """Refuse a host that resolves to an address of our own network (SSRF)."""
    if settings.CALENDAR_ALLOW_PRIVATE:
        return
    parts = urlsplit(url)
    host = parts.hostname or ""
    try:
        infos = socket.getaddrinfo(host, parts.port or 443, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError):
        raise FetchError(f"The host {host} was not found.") from None
    for info in infos:
        address = ipaddress.ip_address(info[4][0])
        if not address.is_global or address.is_multicast:
            raise FetchError(f"The host {host} is a private or local address.")


def fetch(url: str, *, etag: str = "", last_modified: str = "") -> Fetched:
    """GET `url` (following up to three redirects, each checked); 304 keeps what we have."""
    headers = {"Accept": _ACCEPT, "User-Agent": "TrainerHub calendar reader"}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    timeout = httpx.Timeout(settings.CALENDAR_FETCH_TIMEOUT)
    with httpx.Client(timeout=timeout, follow_redirects=False) as client:
        for _hop in range(_MAX_REDIRECTS + 1):
            url = normalise_url(url)
            check_host(url)
            try:
                result = _get(client, url, headers)
            except httpx.TimeoutException:
                raise FetchError("The calendar did not answer in time.") from None
            except httpx.HTTPError as exc:
                raise FetchError(
                    f"The calendar could not be reached ({type(exc).__name__})."
                ) from None
            if isinstance(result, str):
                url = result
                continue
            return result
    raise FetchError("The calendar's address redirects too many times.")


def _get(client: httpx.Client, url: str, headers: dict[str, str]) -> Fetched | str:
    """The answer, or the next URL of a redirect."""
    with client.stream("GET", url, headers=headers) as response:
        if response.is_redirect and "location" in response.headers:
            return str(response.url.join(response.headers["location"]))
        if response.status_code == 304:
            return Fetched(not_modified=True)
        if response.status_code in (401, 403):
            raise FetchError(
                f"The calendar refused access (HTTP {response.status_code}): the secret "
                "address may have been reset; copy it again from your calendar app."
            )
        if response.status_code == 404:
            raise FetchError("The calendar was not found (HTTP 404): it may have been deleted.")
        if response.status_code != 200:
            raise FetchError(f"The calendar answered HTTP {response.status_code}.")
        body = _read_limited(response)
        return Fetched(
            not_modified=False,
            body=body,
            etag=response.headers.get("etag", "")[:500],
            last_modified=response.headers.get("last-modified", "")[:100],
        )


def _read_limited(response: httpx.Response) -> bytes:
    limit = settings.CALENDAR_MAX_BYTES
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise FetchError(f"The calendar is larger than {limit // (1024 * 1024)} MB.")
    chunks: list[bytes] = []
    size = 0
    for chunk in response.iter_bytes():
        size += len(chunk)
        if size > limit:
            raise FetchError(f"The calendar is larger than {limit // (1024 * 1024)} MB.")
        chunks.append(chunk)
    return b"".join(chunks)
