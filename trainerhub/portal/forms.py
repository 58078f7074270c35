"""Forms of the public pages and the client portal (rendered with components/form.html)."""

from __future__ import annotations

import time
from collections.abc import Sequence
from datetime import datetime
from typing import Any, cast

from django import forms
from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError

from trainerhub.clients.models import IntakeField
from trainerhub.clients.validation import clean_custom_value, clean_phone
from trainerhub.core.timezones import all_timezones
from trainerhub.core.validation import instant_in_range
from trainerhub.scheduling.forms_pricing import addon_label
from trainerhub.scheduling.models import Service, ServiceAddon
from trainerhub.scheduling.services.cancellation import REASON_MAX_LENGTH, REASON_REQUIRED

STARTED_SALT = "portal.form-started"
# A form filled and sent within this many seconds was not filled by a person.
MIN_FILL_SECONDS = 3
MAX_FILL_SECONDS = 6 * 60 * 60
FIELD_PREFIX = "field_"
CANCEL_REASONS = [
    ("Something came up", "Something came up"),
    ("I am unwell", "I am unwell"),
    ("Travel or transport problem", "Travel or transport problem"),
    ("I booked the wrong time", "I booked the wrong time"),
    ("I no longer need this session", "I no longer need this session"),
    ("other", "Other (tell us below)"),
]


def started_token(at: float | None = None) -> str:
    """A signed timestamp put in the form when it is shown (checked when it comes back)."""
    return signing.dumps(time.time() if at is None else at, salt=STARTED_SALT)


def min_fill_seconds() -> float:
    return getattr(settings, "PORTAL_MIN_FILL_SECONDS", MIN_FILL_SECONDS)


def parse_start(value: str) -> datetime:
    """An ISO 8601 instant that carries its UTC offset."""
    try:
        start = datetime.fromisoformat((value or "").strip())
    except ValueError as exc:
        raise ValidationError("Pick a time from the list.") from exc
    if start.tzinfo is None:
        raise ValidationError("The time needs its UTC offset, e.g. 2025-03-01T09:00:00+00:00.")
    # No list offers a time outside the product's one date range (trainerhub.core.validation).
    if not instant_in_range(start):
        raise ValidationError("Pick a time from the list.")
    return start


class TimezoneField(forms.ChoiceField):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(choices=[(n, n.replace("_", " ")) for n in all_timezones()], **kwargs)


class BookingDetailsForm(forms.Form):
    """Who the visitor is; `service`, `start` and `tz` ride along hidden from the picker."""

    service = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    start = forms.CharField(widget=forms.HiddenInput, max_length=40)
    tz = TimezoneField(widget=forms.HiddenInput)
    started = forms.CharField(widget=forms.HiddenInput, max_length=200)
    first_name = forms.CharField(
        max_length=100, widget=forms.TextInput(attrs={"autocomplete": "given-name"})
    )
    last_name = forms.CharField(
        max_length=100, widget=forms.TextInput(attrs={"autocomplete": "family-name"})
    )
    email = forms.EmailField(
        max_length=254, widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )
    phone = forms.CharField(
        max_length=32,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "tel", "type": "tel"}),
    )
    note = forms.CharField(
        label="Anything the trainer should know?",
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    addons = forms.TypedMultipleChoiceField(
        label="Add-ons", coerce=int, required=False, widget=forms.CheckboxSelectMultiple
    )
    discount_code = forms.CharField(
        label="Discount code",
        max_length=40,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    pay_at_session = forms.BooleanField(label="I will pay at the session", required=False)
    # One of the signed-in client's packages with a credit for this service (offered only then).
    client_package = forms.TypedChoiceField(
        coerce=int, required=False, empty_value=None, label="Pay with a package credit"
    )
    # Honeypot: hidden from people by CSS and from screen readers; bots fill every field.
    website = forms.CharField(
        label="Leave this field empty",
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def __init__(
        self,
        *args: Any,
        intake_fields: list[IntakeField] = (),  # type: ignore[assignment]
        service: Service | None = None,
        addons: Sequence[ServiceAddon] = (),
        package_choices: Sequence[Any] = (),
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        # A package chosen earlier that no longer fits stays a choice, so that booking says
        # why (no credits left, expired...) instead of silently charging the session.
        chosen = str(self.data.get("client_package") or "") if self.is_bound else ""
        offered = [(c.id, c.label) for c in package_choices]
        if chosen.isdigit() and len(chosen) < 19 and int(chosen) not in dict(offered):
            offered.append((int(chosen), "The package you chose"))
        if offered:
            cast(forms.TypedChoiceField, self.fields["client_package"]).choices = [
                ("", "No, I pay for this session"),
                *offered,
            ]
        else:
            del self.fields["client_package"]
        self.intake_fields = list(intake_fields)
        # The money fields the service offers; the others are not on the form at all.
        if addons:
            cast(forms.TypedMultipleChoiceField, self.fields["addons"]).choices = [
                (a.pk, addon_label(a)) for a in addons
            ]
        else:
            del self.fields["addons"]
        if service is None or not service.allow_pay_at_session:
            del self.fields["pay_at_session"]
        elif service.deposit_kind != Service.DepositKind.NONE:
            self.fields["pay_at_session"].help_text = "The deposit is still due beforehand."
        for f in self.intake_fields:
            self.fields[FIELD_PREFIX + f.key] = _intake_form_field(f)

    def clean_start(self) -> datetime:
        return parse_start(self.cleaned_data["start"])

    def clean_phone(self) -> str:
        return clean_phone(self.cleaned_data.get("phone", ""))

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if data.get("website"):
            raise ValidationError("Your request could not be sent. Please try again.")
        try:
            started = float(signing.loads(data.get("started") or "", salt=STARTED_SALT))
        except (signing.BadSignature, TypeError, ValueError):
            raise ValidationError("This form has expired. Please fill it in again.") from None
        elapsed = time.time() - started
        if elapsed < min_fill_seconds():
            raise ValidationError("That was very fast. Please check your details and send again.")
        if elapsed > MAX_FILL_SECONDS:
            raise ValidationError("This form has expired. Please fill it in again.")
        for f in self.intake_fields:
            value = data.get(FIELD_PREFIX + f.key)
            if value in (None, "") or f.kind == IntakeField.Kind.YESNO:
                continue
            try:
                data[FIELD_PREFIX + f.key] = clean_custom_value(
                    f.kind, value, list(f.choices or [])
                )
            except ValidationError as exc:
                self.add_error(FIELD_PREFIX + f.key, exc)
        return data

    def answers(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for f in self.intake_fields:
            value = self.cleaned_data.get(FIELD_PREFIX + f.key)
            if f.kind == IntakeField.Kind.YESNO:
                if value in ("yes", "no"):
                    out[f.key] = value == "yes"
            elif value not in (None, ""):
                out[f.key] = value.isoformat() if hasattr(value, "isoformat") else value
        return out


def _intake_form_field(f: IntakeField) -> forms.Field:
    common: dict[str, Any] = {"label": f.label, "required": f.required}
    if f.kind == IntakeField.Kind.CHOICE:
        choices = [("", "—")] + [(c, c) for c in f.choices or []]
        return forms.ChoiceField(choices=choices, **common)
    if f.kind == IntakeField.Kind.YESNO:
        return forms.ChoiceField(choices=[("", "—"), ("yes", "Yes"), ("no", "No")], **common)
    if f.kind == IntakeField.Kind.DATE:
        return forms.DateField(widget=forms.DateInput(attrs={"type": "date"}), **common)
    if f.kind == IntakeField.Kind.NUMBER:
        return forms.DecimalField(max_digits=14, decimal_places=4, **common)
    return forms.CharField(max_length=2000, **common)


class CancelForm(forms.Form):
    reason_choice = forms.ChoiceField(
        label="Why do you cancel?", choices=CANCEL_REASONS, widget=forms.RadioSelect
    )
    reason_text = forms.CharField(
        label="In your own words (optional)",
        max_length=REASON_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        choice, text = data.get("reason_choice"), (data.get("reason_text") or "").strip()
        if choice == "other" and not text:
            self.add_error("reason_text", REASON_REQUIRED)
        elif choice:
            data["reason"] = (
                text if choice == "other" else (f"{choice}: {text}" if text else choice)
            )
        return data


class StartForm(forms.Form):
    start = forms.CharField(widget=forms.HiddenInput, max_length=40)

    def clean_start(self) -> datetime:
        return parse_start(self.cleaned_data["start"])


class ClientLoginForm(forms.Form):
    email = forms.EmailField(
        max_length=254, widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )
    password = forms.CharField(
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )


class PasswordPairMixin(forms.Form):
    password = forms.CharField(
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text="At least 8 characters, not only digits, not a common password.",
    )
    password2 = forms.CharField(
        label="Password again", widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if data.get("password") and data.get("password") != data.get("password2"):
            self.add_error("password2", "The two passwords differ.")
        return data


class AccountFromBookingForm(PasswordPairMixin):
    email = forms.EmailField(max_length=254, help_text="The email address you booked with.")

    field_order = ["email", "password", "password2"]


class JoinForm(forms.Form):
    """The password is chosen on the page the emailed link opens (portal.claims)."""

    first_name = forms.CharField(max_length=100)
    last_name = forms.CharField(max_length=100)
    email = forms.EmailField(max_length=254)
    phone = forms.CharField(max_length=32, required=False)

    def clean_phone(self) -> str:
        return clean_phone(self.cleaned_data.get("phone", ""))


class PortalSettingsForm(forms.Form):
    enabled = forms.BooleanField(label="Public booking page on", required=False)
    cancellation_window_hours = forms.IntegerField(
        label="Free cancellation until (hours before the session)",
        min_value=0,
        max_value=24 * 14,
        help_text="Later cancellations are still allowed but recorded as late.",
    )
    welcome_text = forms.CharField(
        max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    services = forms.MultipleChoiceField(
        label="Bookable online",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Services clients may book on your public page.",
    )

    def __init__(
        self, *args: Any, service_choices: Sequence[tuple[int, str]] = (), **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        services = cast(forms.MultipleChoiceField, self.fields["services"])
        services.choices = [(str(pk), name) for pk, name in service_choices]
