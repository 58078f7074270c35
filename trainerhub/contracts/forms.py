"""Forms of the contracts pages; the rules live in services.py."""

from __future__ import annotations

from typing import Any

from django import forms

from trainerhub.contracts import documents
from trainerhub.contracts.models import ContractTemplate, Signers
from trainerhub.scheduling.selectors import services_for_trainer

MERGE_HELP = "Merge fields: " + ", ".join(documents.tag(key) for key in documents.MERGE_FIELDS)
FIELDS_HELP = (
    "One per line as <code>kind: label</code>, the kind one of text, date, checkbox (must be "
    "ticked) or initials; add <code>(optional)</code> at the end of a text or date field that "
    "may stay empty. Example: <code>checkbox: I have read the waiver</code>."
)


class TemplateForm(forms.Form):
    name = forms.CharField(max_length=150)
    body = forms.CharField(
        label="Document",
        required=False,
        widget=forms.Textarea(attrs={"rows": 14}),
        help_text="Plain text or simple HTML (headings, lists, bold, links). " + MERGE_HELP,
    )
    fields_text = forms.CharField(
        label="Fill-in fields for the signer",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=FIELDS_HELP,
    )
    signers = forms.ChoiceField(label="Who signs", choices=Signers.choices)
    pdf = forms.FileField(
        label="Or upload a PDF",
        required=False,
        help_text="Used instead of the document above; the signature is stamped on it.",
    )
    stamp_page = forms.IntegerField(
        label="Signature on page",
        min_value=0,
        max_value=999,
        initial=0,
        help_text="1 is the first page; 0 the last.",
    )
    stamp_x_mm = forms.IntegerField(
        label="From the left (mm)", min_value=0, max_value=400, initial=20
    )
    stamp_y_mm = forms.IntegerField(
        label="From the top (mm)", min_value=0, max_value=600, initial=240
    )
    services: forms.ModelMultipleChoiceField = forms.ModelMultipleChoiceField(
        label="Required for these services",
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Booking one of them (on your booking page or by you) sends this document.",
    )
    required_when = forms.ChoiceField(label="When", choices=ContractTemplate.Requirement.choices)
    expires_days = forms.IntegerField(
        label="The link works for (days)", min_value=1, max_value=365, initial=14
    )
    is_active = forms.BooleanField(label="In use", required=False, initial=True)

    def __init__(self, *args: Any, trainer: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["services"].queryset = (  # type: ignore[attr-defined]
            services_for_trainer(trainer=trainer, active_only=True)
        )

    def clean_pdf(self) -> Any:
        upload = self.cleaned_data.get("pdf")
        if upload and upload.size > 10 * 1024 * 1024:
            raise forms.ValidationError("The PDF is over 10 MB.")
        return upload

    def service_data(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["fields"] = documents.parse_field_lines(data.pop("fields_text", ""))
        upload = data.pop("pdf", None)
        if upload:
            data["pdf"] = upload.read()
            data["pdf_name"] = upload.name
        data["services"] = list(data["services"])
        return data

    @staticmethod
    def initial_for(template: ContractTemplate) -> dict[str, Any]:
        return {
            "name": template.name,
            "body": template.body,
            "fields_text": documents.field_lines(template.fields),
            "signers": template.signers,
            "stamp_page": template.stamp_page,
            "stamp_x_mm": template.stamp_x_mm,
            "stamp_y_mm": template.stamp_y_mm,
            "services": list(template.services.all()),
            "required_when": template.required_when,
            "expires_days": template.expires_days,
            "is_active": template.is_active,
        }


class VerifyForm(forms.Form):
    pdf = forms.FileField(label="Signed PDF")


class VoidForm(forms.Form):
    reason = forms.CharField(
        required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class DeclineForm(forms.Form):
    reason = forms.CharField(
        label="Why do you decline?", max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
