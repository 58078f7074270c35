"""Page forms for the trainer's own calendars (rules live in services)."""

from __future__ import annotations

from django import forms


class CalendarForm(forms.Form):
    name = forms.CharField(max_length=120, help_text="For you, e.g. “Family” or “Work”.")
    url = forms.CharField(
        label="Secret address (iCal)",
        max_length=2000,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
        help_text=(
            "Google: Settings → your calendar → “Secret address in iCal format”. "
            "Apple iCloud: share the calendar publicly and copy the webcal:// link. "
            "Outlook: Settings → Calendar → Shared calendars → Publish → ICS."
        ),
    )
    color = forms.RegexField(
        regex=r"^(#[0-9a-fA-F]{6})?$",
        required=False,
        label="Colour (optional)",
        widget=forms.TextInput(attrs={"placeholder": "#3b82f6"}),
        error_messages={"invalid": "Use a colour like #3b82f6."},
    )
    is_active = forms.BooleanField(
        required=False, initial=True, label="Block these times for bookings"
    )


class CalendarEditForm(CalendarForm):
    """Changing a calendar: the secret address is kept unless a new one is typed."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["url"].required = False
        self.fields["url"].help_text = "Leave empty to keep the current address."
