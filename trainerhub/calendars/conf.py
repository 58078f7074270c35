"""Settings of the Google / Microsoft sync: a Django setting of that name when there is one
(tests, an operator's own settings module), else the environment variable, else the real
service. Every name is listed in the README's configuration table."""

from __future__ import annotations

from django.conf import settings

from config.env import env

DEFAULTS = {
    "GOOGLE_CLIENT_ID": "",
    "GOOGLE_CLIENT_SECRET": "",
    "GOOGLE_AUTH_URL": "https://accounts.google.com/o/oauth2/v2/auth",
    "GOOGLE_OAUTH_BASE": "https://oauth2.googleapis.com",
    "GOOGLE_API_BASE": "https://www.googleapis.com",
    "MICROSOFT_CLIENT_ID": "",
    "MICROSOFT_CLIENT_SECRET": "",
    "MICROSOFT_TENANT": "common",
    "MICROSOFT_LOGIN_BASE": "https://login.microsoftonline.com",
    "MICROSOFT_GRAPH_BASE": "https://graph.microsoft.com",
}


def get(name: str) -> str:
    """The value of one of DEFAULTS' names; base URLs without a trailing slash."""
    value = getattr(settings, name, None)
    if value is None:
        value = env(name, DEFAULTS[name])
    return str(value).rstrip("/") if name.endswith(("_BASE", "_URL")) else str(value)
