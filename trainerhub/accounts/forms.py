"""Page forms: they check shapes (required, lengths, choices); the services decide the rules."""

from __future__ import annotations

from typing import Any, cast

from django import forms

from trainerhub.core.countries import country_choices, country_for_timezone, country_name
from trainerhub.core.currencies import CURRENCY_CHOICES
from trainerhub.core.timezones import all_timezones

PASSWORD_MAX = 4096  # Argon2 hashes whatever it is given; a cap keeps a request cheap.


def timezone_field(*, browser_default: bool) -> forms.ChoiceField:
    attrs = {"data-browser-timezone": ""}
    if not browser_default:
        attrs["data-user-set"] = "true"
    return forms.ChoiceField(
        label="Timezone",
        choices=[(tz, tz.replace("_", " ")) for tz in all_timezones()],
        initial="UTC",
        widget=forms.Select(attrs=attrs),
        help_text="Times on your pages and in your emails are shown in this zone.",
    )


def password_field(label: str, autocomplete: str) -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=PASSWORD_MAX,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": autocomplete}),
    )


class RegisterForm(forms.Form):
    name = forms.CharField(label="Your name", max_length=150)
    business_name = forms.CharField(
        label="Business name",
        max_length=150,
        required=False,
        help_text="Shown to your clients; leave empty to use your name.",
    )
    email = forms.EmailField(
        label="Email", max_length=254, widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )
    password = password_field("Password", "new-password")
    timezone = timezone_field(browser_default=True)

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        if self.is_bound:
            # Keep what the person picked when the form comes back with errors.
            self.fields["timezone"].widget.attrs["data-user-set"] = "true"


class LoginForm(forms.Form):
    email = forms.EmailField(
        label="Email", max_length=254, widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )
    password = password_field("Password", "current-password")


class PasswordChangeForm(forms.Form):
    old_password = password_field("Current password", "current-password")
    new_password = password_field("New password", "new-password")
    new_password_again = password_field("New password again", "new-password")

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        new, again = data.get("new_password"), data.get("new_password_again")
        if new and again and new != again:
            self.add_error("new_password_again", "The two new passwords are not the same.")
        return data


class ProfileForm(forms.Form):
    name = forms.CharField(label="Your name", max_length=150)
    business_name = forms.CharField(label="Business name", max_length=150, required=False)
    slug = forms.CharField(
        label="Public page address",
        max_length=50,
        required=False,
        help_text="Your booking page lives at /book/<em>this-address</em>/ "
        "(lowercase letters, digits and hyphens).",
    )
    timezone = timezone_field(browser_default=False)
    country = forms.ChoiceField(
        label="Country",
        required=False,
        choices=[],
        help_text="Phone numbers written without a country code, by you or your clients, "
        "are read as numbers in this country.",
    )
    phone = forms.CharField(
        label="Phone",
        max_length=32,
        required=False,
        help_text="With the country code, e.g. +44 20 7946 0958.",
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )
    bio = forms.CharField(
        label="About you",
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Shown on your public booking page.",
    )
    currency = forms.ChoiceField(label="Currency", choices=CURRENCY_CHOICES)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Blank follows the timezone; the picker names the country that gives today.
        from_zone = country_name(country_for_timezone(self.initial.get("timezone", "")))
        blank = f"From my timezone ({from_zone})" if from_zone else "None: only numbers with +"
        country = cast(forms.ChoiceField, self.fields["country"])
        country.choices = [("", blank), *country_choices()]
