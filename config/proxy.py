"""The client's address behind a reverse proxy (BEHIND_PROXY=true), for per-address rate limits.

Behind nginx every request arrives from nginx's own address, so counting REMOTE_ADDR would put
every visitor in one bucket: one person trying passwords would lock everybody out of signing
in. deploy/nginx/trainerhub.conf sets X-Real-IP and X-Forwarded-For to the address it saw,
replacing whatever the client sent.
"""

from __future__ import annotations

from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str:
    """X-Real-IP, else the last X-Forwarded-For entry (the one our proxy added), else the
    connection's address (a request that did not come through the proxy)."""
    real_ip = request.META.get("HTTP_X_REAL_IP", "").strip()
    if real_ip:
        return real_ip
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    last = forwarded.split(",")[-1].strip()
    return last or request.META["REMOTE_ADDR"]
