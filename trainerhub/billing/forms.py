"""The money pages' forms. They only shape input: every rule is the services' (a refusal comes
back next to its field through core.forms.domain_errors_to_form)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone

from trainerhub.billing import selectors
from trainerhub.billing.models import BusinessDetails, Payment
from trainerhub.core.currencies import CURRENCY_CHOICES
from trainerhub.core.widgets import LongSelect

METHOD_CHOICES = Payment.Method.choices


class PaymentForm(forms.Form):
    amount = forms.CharField(max_length=32, widget=forms.TextInput(attrs={"inputmode": "decimal"}))
    method = forms.ChoiceField(choices=METHOD_CHOICES, initial=Payment.Method.CASH)
    paid_at = forms.DateTimeField(
        label="Paid on",
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text="Leave empty for now.",
    )
    note = forms.CharField(max_length=500, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault(
                "paid_at", timezone.localtime().replace(second=0, microsecond=0)
            )


class ClientPaymentForm(PaymentForm):
    """From the client page: what the payment is for comes first."""

    item = forms.ChoiceField(label="For")
    field_order = ["item", "amount", "method", "paid_at", "note"]

    def __init__(self, *args: Any, items: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["item"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = items


class RefundForm(forms.Form):
    amount = forms.CharField(max_length=32, widget=forms.TextInput(attrs={"inputmode": "decimal"}))
    note = forms.CharField(max_length=500, required=False, label="Reason (optional)")


class PaymentFilterForm(forms.Form):
    start = forms.DateField(
        label="From", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    end = forms.DateField(
        label="To", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    method = forms.ChoiceField(choices=[("", "Any method"), *METHOD_CHOICES], required=False)
    client: forms.ModelChoiceField = forms.ModelChoiceField(
        queryset=None, required=False, empty_label="Any client", widget=LongSelect
    )
    status = forms.ChoiceField(
        choices=[("", "Any"), *selectors.PAYMENT_STATUSES.items()], required=False
    )

    def __init__(self, *args: Any, clients: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["client"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = clients

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("start") and data.get("end") and data["start"] > data["end"]:
            self.add_error("end", "Choose a date on or after the first one.")
        return data


class BusinessDetailsForm(forms.ModelForm):
    class Meta:
        model = BusinessDetails
        fields = list(BusinessDetails.EDITABLE_FIELDS)
        widgets = {
            "address": forms.Textarea(attrs={"rows": 3}),
            "footer": forms.Textarea(attrs={"rows": 2}),
        }
        help_texts = {
            "overdue_reminder_days": "Email the client this many days after an unpaid "
            "invoice's due date. Leave empty for no reminder.",
            "prices_include_tax": "Untick if the unit prices you type are before tax.",
        }


class InvoiceForm(forms.Form):
    client: forms.ModelChoiceField = forms.ModelChoiceField(queryset=None, widget=LongSelect)
    currency = forms.ChoiceField(choices=CURRENCY_CHOICES)
    notes = forms.CharField(
        max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, clients: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["client"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = clients


class LineForm(forms.Form):
    description = forms.CharField(max_length=300, required=False)
    quantity = forms.CharField(max_length=12, required=False, initial="1")
    unit_price = forms.CharField(label="Unit price", max_length=32, required=False)
    tax_rate = forms.CharField(label="Tax %", max_length=8, required=False)

    def as_line(self) -> dict[str, Any] | None:
        data = self.cleaned_data if self.is_valid() else {}
        if not data.get("description") and not data.get("unit_price"):
            return None
        return {
            "description": data.get("description", ""),
            "quantity": data.get("quantity") or "1",
            "unit_price": data.get("unit_price") or "",
            "tax_rate": data.get("tax_rate") or None,
        }


LineFormSet = forms.formset_factory(LineForm, extra=3, max_num=100)
