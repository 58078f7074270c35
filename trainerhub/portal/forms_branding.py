"""The trainer's branding form (the booking-page settings' "Your brand" page)."""

from __future__ import annotations

from django import forms


class BrandingForm(forms.Form):
    business_name = forms.CharField(
        label="Business name",
        max_length=150,
        required=False,
        help_text="Shown on your booking page and as the sender of your clients' emails. "
        "Empty: your own name.",
    )
    bio = forms.CharField(
        label="About you",
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="A few lines for your booking page.",
    )
    accent_color = forms.CharField(
        label="Accent colour",
        max_length=7,
        required=False,
        widget=forms.TextInput(attrs={"type": "color"}),
        help_text="Buttons and links; made darker or lighter where needed so text stays readable.",
    )
    use_accent = forms.BooleanField(label="Use my accent colour", required=False)
    logo = forms.FileField(
        label="Logo",
        required=False,
        widget=forms.FileInput(attrs={"accept": "image/png,image/jpeg,image/webp,image/gif"}),
        help_text="PNG, JPEG, WebP or GIF.",
    )
    remove_logo = forms.BooleanField(label="Remove the logo", required=False)
    photo = forms.FileField(
        label="Photo of you",
        required=False,
        widget=forms.FileInput(attrs={"accept": "image/png,image/jpeg,image/webp,image/gif"}),
        help_text="PNG, JPEG, WebP or GIF.",
    )
    remove_photo = forms.BooleanField(label="Remove the photo", required=False)
