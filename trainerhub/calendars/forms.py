"""Page forms for the trainer's own calendars (rules live in services)."""

from __future__ import annotations

from django import forms

_TEXT = {"autocomplete": "off", "spellcheck": "false"}


class CalendarForm(forms.Form):
    """An ICS subscription: the calendar's secret address."""

    name = forms.CharField(max_length=120, help_text="For you, e.g. “Family” or “Work”.")
    url = forms.CharField(
        label="Secret address (iCal)",
        max_length=2000,
        widget=forms.TextInput(attrs=_TEXT),
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


class CalDavForm(CalendarForm):
    """A CalDAV calendar: its address, the account's user name and an app password."""

    field_order = ["name", "url", "username", "password", "color", "is_active"]

    username = forms.CharField(
        label="User name", max_length=200, widget=forms.TextInput(attrs=_TEXT)
    )
    # Never rendered back into the page (render_value=False), also after an error.
    password = forms.CharField(
        label="App password",
        max_length=500,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=(
            "Create one for TrainerHub in your account's security settings (iCloud: "
            "appleid.apple.com → App-specific passwords; Fastmail and Nextcloud: Settings → "
            "Passwords / Security → App passwords). Stored encrypted."
        ),
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["url"].label = "Calendar address (CalDAV)"
        self.fields["url"].help_text = (
            "One calendar's CalDAV address (Nextcloud: Calendar → ⋯ beside the calendar → "
            "Copy internal link), or your account's to read all its calendars (iCloud: "
            "https://caldav.icloud.com/; Fastmail: https://caldav.fastmail.com/)."
        )


class CalDavEditForm(CalDavForm):
    """Changing a CalDAV calendar: address and app password kept unless new ones are typed."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        for name, kept in (("url", "address"), ("password", "app password")):
            self.fields[name].required = False
            self.fields[name].help_text = f"Leave empty to keep the current {kept}."
