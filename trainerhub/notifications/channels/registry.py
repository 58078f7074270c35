"""Which channels exist and whether each is on (credentials present)."""

from __future__ import annotations

from types import ModuleType

from trainerhub.notifications.channels import email, inapp, sms_twilio, telegram

_CHANNELS: dict[str, ModuleType] = {
    "email": email,
    "sms": sms_twilio,
    "telegram": telegram,
    "inapp": inapp,
}


def get_channel(name: str) -> ModuleType:
    return _CHANNELS[name]


def is_on(name: str) -> bool:
    return _CHANNELS[name].is_configured()


def channel_status() -> dict[str, tuple[bool, str]]:
    """{channel: (on, why it is off)} for the settings page."""
    return {name: (mod.is_configured(), mod.why_off()) for name, mod in _CHANNELS.items()}
