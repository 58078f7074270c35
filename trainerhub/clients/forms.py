"""Page forms: they check shapes; services check the rules and their errors land next to
the fields through `core.forms.domain_errors_to_form`."""

from __future__ import annotations

from typing import Any, cast

from django import forms

from trainerhub.accounts.models import User
from trainerhub.clients.models import Client, IntakeField, Tag
from trainerhub.clients.validation import phone_help, phone_region_for
from trainerhub.core.dates import day_time_label

PROFILE_FIELDS = [
    "first_name",
    "last_name",
    "email",
    "phone",
    "preferred_channel",
    "date_of_birth",
    "address",
    "emergency_contact_name",
    "emergency_contact_phone",
    "emergency_contact_relation",
    "goals",
    "level",
    "health_notes",
    "preferences",
    "referral_source",
    "status",
]


class ClientForm(forms.ModelForm):
    tags = forms.ModelMultipleChoiceField(
        queryset=Tag.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )
    # Offered once the email turned out to be another client's (the view sets
    # `duplicate_of`): two people may share an address.
    allow_duplicate = forms.BooleanField(
        required=False, label="Save anyway: this is a different person who shares the address"
    )
    duplicate_of: Client | None = None

    class Meta:
        model = Client
        fields = PROFILE_FIELDS
        widgets = {
            "date_of_birth": forms.DateInput(attrs={"type": "date"}),
            "address": forms.Textarea(attrs={"rows": 2}),
            "goals": forms.Textarea(attrs={"rows": 3}),
            "health_notes": forms.Textarea(attrs={"rows": 3}),
            "preferences": forms.Textarea(attrs={"rows": 2}),
            "email": forms.EmailInput(attrs={"autocomplete": "off"}),
            "phone": forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
        }
        help_texts = {"health_notes": "Private: never shown in lists or exports."}
        labels = {
            "preferred_channel": "Best way to reach them",
            "emergency_contact_name": "Name",
            "emergency_contact_phone": "Phone",
            "emergency_contact_relation": "Who they are to the client",
            "referral_source": "How they found you",
        }

    def __init__(self, *args: Any, trainer: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelMultipleChoiceField, self.fields["tags"]).queryset = Tag.objects.filter(
            trainer=trainer
        )
        cast(forms.CharField, self.fields["phone"]).max_length = 40
        self.fields["phone"].widget.attrs["maxlength"] = 40
        # Say which country a number without its code is read in (the trainer's setting).
        phone_note = phone_help(phone_region_for(trainer))
        self.fields["phone"].help_text = phone_note
        self.fields["emergency_contact_phone"].help_text = phone_note
        self.intake = list(IntakeField.objects.filter(trainer=trainer, is_active=True))
        current = (self.instance.custom_fields if self.instance and self.instance.pk else {}) or {}
        for field in self.intake:
            self.fields[f"cf_{field.key}"] = _intake_form_field(field, current.get(field.key))
        if self.instance and self.instance.pk:
            self.initial["tags"] = list(self.instance.tags.all())

    def _post_clean(self) -> None:
        # The services validate and save; the model's own clean would run twice.
        pass

    def service_kwargs(self) -> dict[str, Any]:
        data: dict[str, Any] = {name: self.cleaned_data.get(name) for name in PROFILE_FIELDS}
        data["tags"] = [t.name for t in self.cleaned_data.get("tags") or []]
        answers: dict[str, Any] = {f.key: self.cleaned_data.get(f"cf_{f.key}") for f in self.intake}
        for key, value in list(answers.items()):
            if hasattr(value, "isoformat"):
                answers[key] = value.isoformat()
        data["custom_fields"] = answers
        data["allow_duplicate"] = bool(self.cleaned_data.get("allow_duplicate"))
        return data


def _intake_form_field(field: IntakeField, initial: Any) -> forms.Field:
    common = {"label": field.label, "required": field.required, "initial": initial}
    if field.kind == IntakeField.Kind.NUMBER:
        return forms.DecimalField(max_digits=14, decimal_places=4, **common)
    if field.kind == IntakeField.Kind.CHOICE:
        return forms.ChoiceField(choices=[("", "—"), *[(c, c) for c in field.choices]], **common)
    if field.kind == IntakeField.Kind.YESNO:
        return forms.TypedChoiceField(
            choices=[("", "—"), ("yes", "Yes"), ("no", "No")],
            coerce=lambda v: v == "yes",
            empty_value=None,
            **{**common, "initial": {True: "yes", False: "no"}.get(initial, "")},
        )
    if field.kind == IntakeField.Kind.DATE:
        return forms.DateField(widget=forms.DateInput(attrs={"type": "date"}), **common)
    return forms.CharField(max_length=2000, **common)


class NoteForm(forms.Form):
    body = forms.CharField(label="Note", max_length=20000, widget=forms.Textarea(attrs={"rows": 3}))
    booking = forms.TypedChoiceField(
        label="About session", required=False, coerce=int, empty_value=None
    )

    def __init__(self, *args: Any, bookings: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.TypedChoiceField, self.fields["booking"]).choices = [("", "— none —")] + [
            (b.pk, f"{b.service.name}, {day_time_label(b.start)}") for b in bookings
        ]


class FileForm(forms.Form):
    file = forms.FileField(label="File")
    kind = forms.ChoiceField(
        label="Type",
        choices=[("attachment", "Attachment"), ("photo", "Profile photo")],
        initial="attachment",
    )


class ImportForm(forms.Form):
    file = forms.FileField(
        label="CSV file",
        help_text="Headers such as First Name, Last Name, E-mail, Mobile, Date of Birth, Tags.",
    )


class TagForm(forms.Form):
    name = forms.CharField(max_length=50)
    color = forms.CharField(
        label="Colour",
        max_length=7,
        initial="#64748b",
        widget=forms.TextInput(attrs={"type": "color"}),
    )


class IntakeFieldForm(forms.Form):
    label = forms.CharField(label="Question", max_length=120)
    kind = forms.ChoiceField(
        label="Type of answer", choices=IntakeField.Kind.choices, initial="text"
    )
    choices = forms.CharField(
        label="Answers to choose from",
        required=False,
        max_length=5000,
        help_text="For a choice: one answer per line.",
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    required = forms.BooleanField(required=False, label="An answer is needed")
    on_booking_form = forms.BooleanField(required=False, label="Ask on the booking form")
    order = forms.IntegerField(
        label="Position in the form", min_value=0, max_value=10000, initial=0
    )

    def service_kwargs(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["choices"] = [
            line.strip() for line in (data.get("choices") or "").splitlines() if line.strip()
        ]
        return data
