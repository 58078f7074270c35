from __future__ import annotations

from django import forms

from trainerhub.notifications.channels import channel_status
from trainerhub.notifications.models import ALWAYS_SENT_KINDS, CLIENT_KINDS, TRAINER_KINDS, Kind
from trainerhub.notifications.prefs import channels_for_kind

KIND_ORDER = [k for k in Kind.values if k in CLIENT_KINDS] + [
    k for k in Kind.values if k in TRAINER_KINDS
]


def parse_offsets(raw: str) -> list[int]:
    """ "24h, 2h, 30m" or "24, 2" (hours) -> minutes."""
    minutes = []
    for part in raw.replace(";", ",").split(","):
        part = part.strip().lower()
        if not part:
            continue
        unit = 60
        if part.endswith("m"):
            part, unit = part[:-1], 1
        elif part.endswith("h"):
            part = part[:-1]
        elif part.endswith("d"):
            part, unit = part[:-1], 24 * 60
        try:
            value = float(part.strip())
        except ValueError as exc:
            raise forms.ValidationError(f"“{part}” is not a number of hours.") from exc
        minutes.append(round(value * unit))
    return minutes


def format_offsets(minutes: list[int]) -> str:
    out = []
    for m in sorted(minutes, reverse=True):
        out.append(f"{m // 60}h" if m % 60 == 0 else f"{m}m")
    return ", ".join(out)


class ReminderSettingsForm(forms.Form):
    reminder_offsets = forms.CharField(
        label="Reminders before each session",
        required=False,
        max_length=100,
        help_text="Comma-separated, e.g. “24h, 2h” or “30m”. Leave empty for no reminders.",
    )
    daily_agenda = forms.BooleanField(label="Email me my agenda every morning", required=False)
    agenda_hour = forms.IntegerField(
        label="Agenda time (hour, in your timezone)", min_value=0, max_value=23, initial=7
    )

    def clean_reminder_offsets(self) -> list[int]:
        return parse_offsets(self.cleaned_data.get("reminder_offsets") or "")


def preference_rows(
    prefs: dict[tuple[str, str], bool],
    trainer_id: int | None = None,
    plan_off: frozenset[str] = frozenset(),
) -> list[dict]:
    """Rows of the preferences grid: each kind with its channels, on/off and why.
    `plan_off`: channels set up but not part of the trainer's plan (plans' features)."""
    status = channel_status(trainer_id)
    rows = []
    for kind in KIND_ORDER:
        cells = []
        for channel in channels_for_kind(kind):
            on, why = status[channel]
            cells.append(
                {
                    "name": f"pref:{kind}:{channel}",
                    "channel": channel,
                    "checked": prefs.get((kind, channel), True),
                    "available": on and channel not in plan_off,
                    "why": why,
                    "plan_off": channel in plan_off,
                }
            )
        row = {"kind": kind, "label": Kind(kind).label, "cells": cells}
        rows.append({**row, "always": kind in ALWAYS_SENT_KINDS})
    return rows


class SmsAccountForm(forms.Form):
    """A trainer's own Twilio account. The token is never shown back: left empty on an
    edit, the one stored stays."""

    account_sid = forms.CharField(label="Account SID", max_length=64)
    auth_token = forms.CharField(
        label="Auth token",
        max_length=128,
        required=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "off"}, render_value=False),
    )
    from_number = forms.CharField(
        label="Send from (your Twilio number, with its country code)", max_length=32
    )


class TelegramBotForm(forms.Form):
    """A trainer's own bot: the token @BotFather gave. Never shown back."""

    bot_token = forms.CharField(
        label="Bot token",
        max_length=100,
        widget=forms.PasswordInput(attrs={"autocomplete": "off"}, render_value=False),
    )
