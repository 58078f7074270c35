"""The meetings' settings, with their defaults (config/settings.py sets them from the
environment: JITSI_BASE_URL, ZOOM_ACCOUNT_ID, ZOOM_CLIENT_ID, ZOOM_CLIENT_SECRET,
ZOOM_USER_ID, ZOOM_API_BASE, ZOOM_OAUTH_BASE)."""

from __future__ import annotations

from django.conf import settings

DEFAULTS = {
    "JITSI_BASE_URL": "https://meet.jit.si",
    "ZOOM_ACCOUNT_ID": "",
    "ZOOM_CLIENT_ID": "",
    "ZOOM_CLIENT_SECRET": "",
    # The Zoom user who hosts the meetings ("me": the app's own user).
    "ZOOM_USER_ID": "me",
    "ZOOM_API_BASE": "https://api.zoom.us",
    "ZOOM_OAUTH_BASE": "https://zoom.us",
}


def conf(name: str) -> str:
    """A setting's value (a base URL without its trailing slash)."""
    value = str(getattr(settings, name, "") or DEFAULTS[name])
    return value.rstrip("/") if name.endswith(("_URL", "_BASE")) else value
