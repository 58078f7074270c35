"""Page forms of packages (the rules live in services; these only shape the input)."""

from __future__ import annotations

from typing import Any

from django import forms

from trainerhub.core.currencies import CURRENCY_CHOICES
from trainerhub.packages.models import MAX_SESSIONS, MAX_VALID_DAYS
from trainerhub.packages.services import PAYMENT_METHODS

METHOD_CHOICES = [
    ("cash", "Cash"),
    ("bank_transfer", "Bank transfer"),
    ("card_terminal", "Card terminal"),
    ("online", "Online"),
    ("other", "Other"),
]
assert tuple(code for code, _ in METHOD_CHOICES) == PAYMENT_METHODS


class PackageForm(forms.Form):
    name = forms.CharField(max_length=120, help_text="As clients see it, e.g. “10 PT sessions”.")
    description = forms.CharField(
        max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    sessions_count = forms.IntegerField(
        label="Sessions", min_value=1, max_value=MAX_SESSIONS, initial=10
    )
    price = forms.DecimalField(min_value=0, max_digits=10, decimal_places=2)
    currency = forms.ChoiceField(choices=CURRENCY_CHOICES)
    valid_days = forms.IntegerField(
        label="Valid for (days)",
        min_value=1,
        max_value=MAX_VALID_DAYS,
        required=False,
        help_text="Empty: the credits never expire.",
    )
    services = forms.TypedMultipleChoiceField(
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Services it pays for",
        help_text="None ticked: every service.",
    )

    def __init__(self, *args: Any, service_choices: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["services"]
        assert isinstance(field, forms.TypedMultipleChoiceField)
        field.choices = service_choices


class PackageSettingsForm(forms.Form):
    late_cancel_forfeits = forms.BooleanField(
        required=False, label="A late cancellation forfeits the credit"
    )
    no_show_forfeits = forms.BooleanField(required=False, label="A no-show forfeits the credit")


class SellForm(forms.Form):
    package = forms.TypedChoiceField(coerce=int)
    client = forms.TypedChoiceField(coerce=int)
    record_payment = forms.BooleanField(
        required=False, initial=True, label="Record a payment for it now"
    )
    amount = forms.DecimalField(min_value=0, max_digits=10, decimal_places=2, required=False)
    method = forms.ChoiceField(choices=METHOD_CHOICES, required=False, initial="cash")
    paid_at = forms.DateTimeField(
        required=False,
        label="Paid at",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text="Empty: now.",
    )

    def __init__(
        self,
        *args: Any,
        package_choices: list[tuple[int, str]],
        client_choices: list[tuple[int, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        package_field = self.fields["package"]
        client_field = self.fields["client"]
        assert isinstance(package_field, forms.TypedChoiceField)
        assert isinstance(client_field, forms.TypedChoiceField)
        package_field.choices = [("", "Choose a package"), *package_choices]
        client_field.choices = [("", "Choose a client"), *client_choices]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("record_payment") and data.get("amount") in (None, ""):
            self.add_error("amount", "Give the amount paid, or untick “Record a payment”.")
        return data

    def payment(self) -> dict[str, Any] | None:
        data = self.cleaned_data
        if not data.get("record_payment"):
            return None
        return {"amount": data["amount"], "method": data["method"], "paid_at": data["paid_at"]}


class AdjustForm(forms.Form):
    sessions = forms.IntegerField(
        min_value=-MAX_SESSIONS,
        max_value=MAX_SESSIONS,
        help_text="Credits to add (e.g. 2) or take away (e.g. -1).",
    )
    reason = forms.CharField(max_length=500, help_text="Kept in the ledger.")
