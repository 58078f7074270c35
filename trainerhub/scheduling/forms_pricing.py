"""Forms of the price pages (add-ons, discount codes) and the booking forms' money fields.
They only parse; pricing.py and the catalog services decide."""

from __future__ import annotations

from typing import Any, cast

from django import forms

from trainerhub.accounts.models import User
from trainerhub.scheduling.models import DiscountCode, Service, ServiceAddon


class AddonForm(forms.ModelForm):
    class Meta:
        model = ServiceAddon
        fields = ["name", "price", "extra_minutes"]
        labels = {"name": "Add-on", "price": "Price", "extra_minutes": "Extra time (minutes)"}
        help_texts = {"extra_minutes": "Lengthens the session (1:1 services only)."}


class DiscountForm(forms.ModelForm):
    services = forms.ModelMultipleChoiceField(
        queryset=Service.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Only for these services",
        help_text="None ticked: every service.",
    )

    class Meta:
        model = DiscountCode
        fields = [
            "code",
            "percent_off",
            "amount_off",
            "valid_from",
            "valid_until",
            "max_uses",
            "max_uses_per_client",
        ]
        labels = {
            "code": "Code",
            "percent_off": "Percent off",
            "amount_off": "Amount off",
            "valid_from": "Valid from",
            "valid_until": "Valid until",
            "max_uses": "Uses in total",
            "max_uses_per_client": "Uses per client",
        }
        help_texts = {
            "code": "What clients type; upper or lower case does not matter.",
            "percent_off": "1 to 100. Give a percentage or an amount, not both.",
            "amount_off": "In the booked service's currency; never more than its price.",
            "valid_from": "Empty: from today.",
            "valid_until": "Empty: no end.",
            "max_uses": "Empty: no limit.",
            "max_uses_per_client": "Empty: no limit.",
        }
        widgets = {
            "valid_from": forms.DateInput(attrs={"type": "date"}),
            "valid_until": forms.DateInput(attrs={"type": "date"}),
        }

    def __init__(self, *args: Any, trainer: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast(forms.ModelMultipleChoiceField, self.fields["services"])
        field.queryset = Service.objects.filter(trainer=trainer, is_active=True)
        if self.instance.pk:
            self.initial["services"] = list(self.instance.services.all())

    def _post_clean(self) -> None:
        # The catalog service validates the row (with the rules a model cannot state).
        pass


class PurchaseForm(forms.Form):
    """The money fields of a booking form: add-ons of the chosen service, a discount code, and
    (public page) pay at session. Add-ons are ids; booking_create checks they belong."""

    addons = forms.TypedMultipleChoiceField(
        coerce=int, required=False, widget=forms.CheckboxSelectMultiple, label="Add-ons"
    )
    discount_code = forms.CharField(required=False, max_length=40, label="Discount code")

    def set_addon_choices(self, addons: list[ServiceAddon]) -> None:
        field = cast(forms.TypedMultipleChoiceField, self.fields["addons"])
        field.choices = [(a.pk, addon_label(a)) for a in addons]


def addon_label(addon: ServiceAddon) -> str:
    extra = f", +{addon.extra_minutes} min" if addon.extra_minutes else ""
    return f"{addon.name} ({addon.price:.2f}{extra})"
