"""Delivery channels. Each one is on only when its credentials are configured."""

from __future__ import annotations

from trainerhub.notifications.channels.base import Outgoing, SendError
from trainerhub.notifications.channels.registry import channel_status, get_channel, is_on, send

__all__ = ["Outgoing", "SendError", "channel_status", "get_channel", "is_on", "send"]
