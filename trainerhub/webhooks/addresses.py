"""Which receiver URLs may be called (SSRF): http(s) only, and only to public addresses.

The host name is resolved and *every* address it answers must be public (not loopback,
private, link-local, shared, multicast or reserved; IPv4 inside IPv6 is unwrapped), when an
endpoint is saved and again before each attempt, so a name that later points inside is
refused then. WEBHOOKS_ALLOW_PRIVATE=true lifts the address rule (tests, a receiver on the
operator's own network); the scheme rule stays."""

from __future__ import annotations

import ipaddress
import socket
from urllib.parse import urlsplit

from django.conf import settings

SCHEMES = ("http", "https")


class RefusedURL(Exception):
    """The URL may not be called; the message says why in the trainer's words."""


def _public(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


def resolve(host: str, port: int) -> list[str]:
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise RefusedURL(f"The host name {host} does not resolve.") from exc
    return sorted({str(info[4][0]) for info in infos})


def check(url: str) -> None:
    """RefusedURL unless `url` is http(s) to a host whose every address is public."""
    try:
        parts = urlsplit(url)
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError as exc:
        raise RefusedURL("Enter a valid URL.") from exc
    if parts.scheme not in SCHEMES:
        raise RefusedURL("Use an http:// or https:// URL.")
    if not parts.hostname:
        raise RefusedURL("Enter a valid URL.")
    if parts.username or parts.password:
        raise RefusedURL("Put credentials in the receiver, not in the URL.")
    if getattr(settings, "WEBHOOKS_ALLOW_PRIVATE", False):
        return
    addresses = resolve(parts.hostname, port)
    if not addresses or not all(_public(a) for a in addresses):
        raise RefusedURL(
            "This URL points to a private, loopback or link-local address; "
            "webhooks are only sent to public addresses."
        )
