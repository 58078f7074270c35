"""Which channels exist and whether each is on (credentials present)."""

from __future__ import annotations

from types import ModuleType

from trainerhub.notifications.channels import email, inapp, sms_twilio, telegram
from trainerhub.notifications.channels.base import Outgoing

_CHANNELS: dict[str, ModuleType] = {
    "email": email,
    "sms": sms_twilio,
    "telegram": telegram,
    "inapp": inapp,
}


def get_channel(name: str) -> ModuleType:
    return _CHANNELS[name]


def is_on(name: str, trainer_id: int | None = None) -> bool:
    """Whether the channel can send (for this trainer: SMS and Telegram may run on their own
    Twilio account and bot)."""
    if name == "sms":
        return sms_twilio.is_configured(trainer_id)
    if name == "telegram":
        return telegram.is_configured(trainer_id)
    return bool(_CHANNELS[name].is_configured())


def send(name: str, out: Outgoing, *, trainer_id: int | None = None) -> str:
    """Hand one message to its channel, with the trainer's own account where they have one."""
    if name == "sms":
        return sms_twilio.send(out, trainer_id=trainer_id)
    if name == "telegram":
        return telegram.send(out, trainer_id=trainer_id)
    return str(_CHANNELS[name].send(out))


def channel_status(trainer_id: int | None = None) -> dict[str, tuple[bool, str]]:
    """{channel: (on, why it is off)} for the settings page."""
    return {
        name: (is_on(name, trainer_id), "" if is_on(name, trainer_id) else mod.why_off())
        for name, mod in _CHANNELS.items()
    }
