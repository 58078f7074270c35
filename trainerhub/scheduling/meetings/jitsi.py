"""Jitsi Meet: a room of its own for each booking, on the operator's Jitsi server.

No account and no call to the server: whoever knows a room's name can join it, so the name
is the secret. `secrets.token_urlsafe(24)` gives 192 random bits (32 characters); Jitsi
compares room names without case, which still leaves over 160 bits: unguessable."""

from __future__ import annotations

import secrets

from trainerhub.scheduling.meetings.conf import conf

ROOM_BYTES = 24


def room_url() -> str:
    return f"{conf('JITSI_BASE_URL')}/TrainerHub-{secrets.token_urlsafe(ROOM_BYTES)}"
